// SPDX-License-Identifier: GPL-2.0
/* The maps and globals the programs share (declared in maps.bpf.h). */
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 follow_only = 0;
const volatile __u64 wakeup_bytes = 64 * 1024;

__u64 lost[PL_EV_KINDS] = {};
__u64 stats[PL_STATS] = {};
__u64 zombies_in_hash = 0;
__u64 waits_in_hash = 0;
__u32 reader_idle = 0;

struct events_map events SEC(".maps");
struct followed_map followed SEC(".maps");
struct zombie_slots_map zombie_slots SEC(".maps");
struct zombies_map zombies SEC(".maps");
struct held_exits_map held_exits SEC(".maps");
struct ns_zombies_map ns_zombies SEC(".maps");
struct holders_map holders SEC(".maps");
struct wait_counts_map wait_counts SEC(".maps");
struct wait_store_map wait_store SEC(".maps");
struct exec_scratch_map exec_scratch SEC(".maps");
struct exitings_map exitings SEC(".maps");
struct exitings_by_tid_map exitings_by_tid SEC(".maps");
struct exiting_scratch_map exiting_scratch SEC(".maps");
struct switch_zombie_scratch_map switch_zombie_scratch SEC(".maps");
struct last_words_map last_words SEC(".maps");
struct last_words_by_tid_map last_words_by_tid SEC(".maps");
struct wait_args_map wait_args SEC(".maps");
struct exec_args_map exec_args SEC(".maps");
struct group_exits_map group_exits SEC(".maps");
struct group_told_map group_told SEC(".maps");
