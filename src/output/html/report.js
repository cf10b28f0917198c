// SPDX-License-Identifier: BSD-2-Clause
"use strict";
// what the page drew, or the error that stopped it, on the root element
// (data-bars, data-error), where a headless browser's DOM shows it
window.onerror = function (msg, src, line) {
	document.documentElement.dataset.error = msg + " (line " + line + ")";
	failed = true;
};
var failed = false;

var D = JSON.parse(document.getElementById("data").textContent);
var M = { LONG: 1, ORPHAN: 2, ZADOPT: 4, DFORK: 8, INFERRED: 16, BOOT: 32, ZNOW: 64, OUTSIDE: 128,
	BEFORE: 256, ZMIN: 512, ZMAX: 1024 };
var T1 = Math.max(D.span_ns, 1);

/* one object per process; rows of the data are arrays to keep the file small */
var P = D.procs.map(function (r, i) {
	return { i: i, pid: r[0], up: r[1], parent: r[2], comm: r[3], born: r[4], exec: r[5],
		exit: r[6], zombie: r[7], reap: r[8], reparent: r[9], old: r[10], oldi: r[11],
		adopter: r[12], state: r[13], reapk: r[14], end: r[15], zns: r[16], reaper: r[17],
		zparent: r[18], file: r[19], marks: r[20], name: r[21], argv: r[22], uid: r[23],
		user: r[24], euid: r[25], euser: r[26], cgroup: r[27], unit: r[28], cpuUser: r[29],
		cpuSys: r[30], rssKb: r[31], fails: r[32], failErr: r[33], failFile: r[34], kids: [] };
});
var N = P.length;

/* parents outside what was followed (the tracer, init) get a row of their own */
var outside = {};
function outsideRow(pid) {
	if (!(pid in outside)) {
		outside[pid] = P.length;
		P.push({ i: P.length, pid: pid, up: -1, parent: 0, comm: D.names[pid] || "?", born: 0,
			exec: -1, exit: -1, zombie: -1, reap: -1, reparent: -1, old: 0, oldi: -1,
			adopter: "", state: "not followed", reapk: "", end: "", zns: -1, reaper: 0,
			zparent: 0, file: "", marks: M.OUTSIDE, name: "", argv: "", uid: -1, user: "",
			euid: -1, euser: "", cgroup: "", unit: "", cpuUser: -1, cpuSys: -1, rssKb: -1,
			fails: 0, failErr: "", failFile: "", kids: [] });
	}
	return outside[pid];
}
for (var i = 0; i < N; i++) {
	var p = P[i];
	if (p.up < 0 && p.parent > 0)
		p.up = outsideRow(p.parent);
	if (p.oldi < 0 && p.old > 0 && (p.marks & M.ORPHAN))
		p.oldi = outsideRow(p.old);
}
P.forEach(function (p) { if (p.up >= 0) P[p.up].kids.push(p.i); });
var roots = P.filter(function (p) { return p.up < 0; }).map(function (p) { return p.i; });
roots.sort(function (a, b) { return P[a].born - P[b].born || P[a].pid - P[b].pid; });

/* rows in tree order, children in birth order; no recursion: chains can be deep */
var order = [], depth = new Int32Array(P.length);
(function () {
	var stack = roots.slice().reverse();
	while (stack.length) {
		var i = stack.pop(), k = P[i].kids;
		order.push(i);
		for (var j = k.length - 1; j >= 0; j--) {
			depth[k[j]] = depth[i] + 1;
			stack.push(k[j]);
		}
	}
})();

function runEnd(p) {
	if (p.marks & M.OUTSIDE) return T1;
	if (p.exit >= 0) return p.exit;
	if (p.zombie >= 0) return p.zombie;
	if (p.reap >= 0) return p.reap;
	return T1;
}
function exitEnd(p) {
	if (p.exit < 0) return -1;
	if (p.zombie >= 0) return p.zombie;
	if (p.reap >= 0) return p.reap;
	return p.state === "exited" ? T1 : p.exit;
}
function zombieEnd(p) {
	return p.zombie < 0 ? -1 : p.reap >= 0 ? p.reap : T1;
}

function fmt(ns) {
	var a = Math.abs(ns);
	if (a >= 1e9) return (ns / 1e9).toFixed(a >= 1e10 ? 1 : 3) + " s";
	if (a >= 1e6) return (ns / 1e6).toFixed(a >= 1e7 ? 1 : 3) + " ms";
	if (a >= 1e3) return (ns / 1e3).toFixed(1) + " \u00b5s";
	return Math.round(ns) + " ns";
}
// the name isolated (first-strong isolate to pop directional isolate): a
// name of right-to-left overrides would otherwise turn its pid around
function name(p) { return "\u2068" + (p.name || p.comm) + "\u2069 " + p.pid; }
function kib(k) {
	if (k < 1024) return k + " KiB";
	if (k < 10240) return (k / 1024).toFixed(1) + " MiB";
	if (k < 1048576) return Math.round(k / 1024) + " MiB";
	return (k / 1048576).toFixed(1) + " GiB";
}
/* who, what and how much, a line each where known */
function context(p) {
	var s = "";
	if (p.argv) s += "\nruns " + p.argv;
	if (p.uid >= 0) s += "\nuser " + p.user + (p.euid !== p.uid ? ", effective user " + p.euser : "");
	if (p.cgroup) s += "\ncgroup " + p.cgroup + (p.unit ? " (" + p.unit + ")" : "");
	if (p.cpuUser >= 0) s += "\nused " + fmt(p.cpuUser + p.cpuSys) + " of CPU (" + fmt(p.cpuUser) +
		" user, " + fmt(p.cpuSys) + " system), " + kib(p.rssKb) + " at most";
	if (p.fails) s += "\n" + p.fails + " failed exec" + (p.fails > 1 ? "s" : "") + ", the last " +
		p.failErr + " " + p.failFile;
	return s;
}
function zombieText(p) {
	if (p.zombie < 0) return "";
	if (p.zns >= 0) /* a bound where the trace saw part of it */
		return ((p.marks & M.ZMIN) ? "\u2265 " : (p.marks & M.ZMAX) ? "\u2264 " : "") + fmt(p.zns);
	return "\u2265 " + fmt(T1 - p.zombie);
}

/* header facts */
(function () {
	var f = document.getElementById("facts"), z = 0, zl = 0, zn = 0, o = 0, r = 0, b = 0;
	for (var i = 0; i < N; i++) {
		var p = P[i];
		if (p.marks & M.BEFORE) b++;
		if (p.zombie >= 0) z++;
		if (p.marks & M.LONG) zl++;
		if (p.marks & M.ZNOW) zn++;
		if (p.marks & M.ORPHAN) o++;
		if (p.state === "running") r++;
	}
	var facts = [["processes", N], ["span", fmt(D.span_ns)], ["zombies", z],
		["past " + D.zombie_ms + " ms", zl], ["unreaped at the end", zn], ["orphans", o],
		["running at the end", r]];
	if (b) facts.push(["begun before the trace", b]);
	if (D.t0_wall_ms > 0) facts.push(["trace began", new Date(D.t0_wall_ms).toISOString()]);
	facts.forEach(function (x) {
		var s = document.createElement("span"), b = document.createElement("b");
		b.textContent = x[1];
		s.append(x[0] + " ", b);
		f.append(s);
	});
})();

/* the timeline: one canvas the size of the view; only rows in view are drawn */
var ROWH = 18, LABW = 240, AXISH = 24;
var box = document.getElementById("tlbox"), space = document.getElementById("tlspace");
var cv = document.getElementById("tl"), ctx = cv.getContext("2d");
var tip = document.getElementById("tip"), detail = document.getElementById("detail");
var rows = order, rowOf = new Int32Array(P.length), v0 = 0, v1 = T1, sel = -1, W = 0, H = 0;
var css = getComputedStyle(document.documentElement);
var C = { run: css.getPropertyValue("--run").trim(), exiting: css.getPropertyValue("--exiting").trim(),
	zombie: css.getPropertyValue("--zombie").trim(), orphan: css.getPropertyValue("--orphan").trim(),
	outside: css.getPropertyValue("--outside").trim() };

function layout() {
	rowOf.fill(-1);
	rows.forEach(function (i, r) { rowOf[i] = r; });
	space.style.height = Math.max(rows.length * ROWH + AXISH, box.clientHeight) + "px";
	draw();
}
function X(t) { return LABW + (t - v0) / (v1 - v0) * (W - LABW - 8); }
function tAt(x) { return v0 + (x - LABW) / (W - LABW - 8) * (v1 - v0); }
function rowY(r) { return AXISH + r * ROWH - box.scrollTop; }

function seg(y, a, b, color) {
	if (a < 0 || b < a) return false;
	var xa = Math.max(LABW, X(a)), xb = Math.min(W, X(b));
	if (xb < LABW || xa > W) return false;
	ctx.fillStyle = color;
	ctx.fillRect(xa, y + 3, Math.max(1.5, xb - xa), ROWH - 6);
	return true;
}
function vline(x, y0, y1, color, dash) {
	if (x < LABW || x > W) return;
	ctx.strokeStyle = color;
	ctx.setLineDash(dash ? [3, 3] : []);
	ctx.beginPath();
	ctx.moveTo(x + 0.5, y0);
	ctx.lineTo(x + 0.5, y1);
	ctx.stroke();
	ctx.setLineDash([]);
}

function axis() {
	ctx.fillStyle = "#fff";
	ctx.fillRect(0, 0, W, AXISH);
	ctx.strokeStyle = "#dadce0";
	ctx.beginPath();
	ctx.moveTo(0, AXISH - 0.5);
	ctx.lineTo(W, AXISH - 0.5);
	ctx.stroke();
	var span = v1 - v0, step = Math.pow(10, Math.floor(Math.log10(span / 8)));
	if (span / step > 40) step *= 5; else if (span / step > 16) step *= 2;
	ctx.fillStyle = "#5f6368";
	ctx.textAlign = "left";
	for (var t = Math.ceil(v0 / step) * step; t <= v1; t += step) {
		var x = X(t);
		ctx.fillRect(x, AXISH - 6, 1, 6);
		ctx.fillText(fmt(t), x + 2, AXISH / 2);
	}
	ctx.fillStyle = "#fff";
	ctx.fillRect(0, 0, LABW, AXISH);
	ctx.fillStyle = "#202124";
	ctx.fillText(rows.length + " of " + P.length + " rows", 6, AXISH / 2);
}

function draw() {
	var dpr = window.devicePixelRatio || 1;
	W = box.clientWidth;
	H = box.clientHeight;
	if (cv.width !== Math.round(W * dpr) || cv.height !== Math.round(H * dpr)) {
		cv.width = Math.round(W * dpr);
		cv.height = Math.round(H * dpr);
		cv.style.width = W + "px";
		cv.style.height = H + "px";
	}
	ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
	ctx.clearRect(0, 0, W, H);
	ctx.font = "12px system-ui, sans-serif";
	ctx.textBaseline = "middle";
	var r0 = Math.max(0, Math.floor(box.scrollTop / ROWH));
	var r1 = Math.min(rows.length, Math.ceil((box.scrollTop + H) / ROWH) + 1);
	var bars = 0, before = 0, r, p, y;
	for (r = r0; r < r1; r++) {
		p = P[rows[r]];
		y = rowY(r);
		if (r % 2) { ctx.fillStyle = "#fafafa"; ctx.fillRect(0, y, W, ROWH); }
		if (p.i === sel) { ctx.fillStyle = "#e8f0fe"; ctx.fillRect(0, y, W, ROWH); }
		/* from the parent's row down to this one at its birth */
		if (p.up >= 0 && rowOf[p.up] >= 0 && !(p.marks & M.ORPHAN))
			vline(X(p.born), rowY(rowOf[p.up]) + ROWH / 2, y + ROWH / 2, "#bdc1c6", false);
		var drawn = seg(y, p.born, runEnd(p), (p.marks & M.OUTSIDE) ? C.outside : C.run);
		drawn = seg(y, p.exit, exitEnd(p), C.exiting) || drawn;
		drawn = seg(y, p.zombie, zombieEnd(p), C.zombie) || drawn;
		if (drawn) bars++;
		/* begun before the trace: a mark where its bar comes in at the left edge */
		if ((p.marks & M.BEFORE) && drawn && X(0) >= LABW) {
			ctx.fillStyle = "#202124";
			ctx.beginPath();
			ctx.moveTo(X(0), y + ROWH / 2); ctx.lineTo(X(0) + 7, y + 3);
			ctx.lineTo(X(0) + 7, y + ROWH - 3);
			ctx.fill();
			before++;
		}
		if (p.exec >= 0) { ctx.fillStyle = "#174ea6"; ctx.fillRect(X(p.exec), y + 1, 2, ROWH - 2); }
		if (p.reparent >= 0 && (p.marks & M.ORPHAN)) {
			var x = X(p.reparent);
			if (p.oldi >= 0 && rowOf[p.oldi] >= 0)
				vline(x, rowY(rowOf[p.oldi]) + ROWH / 2, y + ROWH / 2, C.orphan, true);
			if (p.up >= 0 && rowOf[p.up] >= 0)
				vline(x + 3, rowY(rowOf[p.up]) + ROWH / 2, y + ROWH / 2, C.orphan, false);
			if (x >= LABW) {
				ctx.fillStyle = C.orphan;
				ctx.beginPath();
				ctx.moveTo(x, y + 2); ctx.lineTo(x + 6, y + ROWH / 2);
				ctx.lineTo(x, y + ROWH - 2); ctx.lineTo(x - 6, y + ROWH / 2);
				ctx.fill();
			}
		}
	}
	/* labels over a plain column */
	ctx.fillStyle = "#fff";
	ctx.fillRect(0, AXISH, LABW, H);
	for (r = r0; r < r1; r++) {
		p = P[rows[r]];
		y = rowY(r);
		if (p.i === sel) { ctx.fillStyle = "#e8f0fe"; ctx.fillRect(0, y, LABW, ROWH); }
		ctx.fillStyle = (p.marks & M.ZNOW) ? C.zombie : (p.marks & M.OUTSIDE) ? "#5f6368" : "#202124";
		ctx.save();
		ctx.beginPath();
		ctx.rect(0, y, LABW - 4, ROWH);
		ctx.clip();
		ctx.fillText(name(p), 4 + Math.min(depth[p.i], 16) * 8, y + ROWH / 2);
		ctx.restore();
	}
	axis();
	if (!failed) document.documentElement.dataset.bars = bars;
	document.body.dataset.beforeMarks = before;
}

function describe(p) {
	var s = name(p) + " \u2014 " + p.state + (p.end ? ", " + p.end : "");
	if (p.marks & M.OUTSIDE) return s;
	s += (p.marks & M.BEFORE) ? "\nbegan before the trace" : "\nborn " + fmt(p.born);
	if (p.exec >= 0) s += ", exec " + fmt(p.exec) + (p.file ? " " + p.file : "");
	if (p.exit >= 0) s += ", exit " + fmt(p.exit);
	if (p.zombie >= 0) s += "\nzombie for " + zombieText(p) + ", parent " + p.zparent +
		(p.reaper ? ", reaped by " + p.reaper + " (" + p.reapk + ")" :
		 p.state === "reaper-unknown" ? ", reaper unknown (records of reaps were lost)" :
		 ", not reaped when the trace ended");
	if (p.marks & M.ORPHAN) s += "\norphan: from " + p.old + " to " + p.parent + " (" + p.adopter +
		") at " + fmt(p.reparent) + ((p.marks & M.ZADOPT) ? ", already a zombie" : "");
	if (p.marks & M.DFORK) s += "\ndouble fork";
	return s + context(p);
}
function rowAt(ev) {
	var r = Math.floor((ev.offsetY - AXISH + box.scrollTop) / ROWH);
	return ev.offsetY > AXISH && r >= 0 && r < rows.length ? rows[r] : -1;
}
function zoom(f, c) {
	if (c === undefined) c = (v0 + v1) / 2;
	var a = c - (c - v0) * f, b = c + (v1 - c) * f;
	if (b - a < 1000) return;
	v0 = Math.max(-T1 * 0.05, a);
	v1 = Math.min(T1 * 1.05, b);
	draw();
}
function select(i) {
	sel = i;
	detail.textContent = i >= 0 ? describe(P[i]) : "";
	draw();
}
function goTo(i) {
	if (rowOf[i] < 0) {
		document.getElementById("find").value = "";
		document.getElementById("only").value = "";
		rows = order;
		layout();
	}
	box.scrollTop = Math.max(0, rowOf[i] * ROWH - box.clientHeight / 3);
	var p = P[i], a = p.born, b = Math.max(zombieEnd(p), exitEnd(p), runEnd(p));
	if (b < v0 || a > v1) { var w = v1 - v0; v0 = Math.max(0, a - w / 4); v1 = v0 + w; }
	select(i);
	box.scrollIntoView({ block: "nearest" });
}

var drag = null;
box.addEventListener("scroll", function () { requestAnimationFrame(draw); });
window.addEventListener("resize", function () { layout(); });
cv.addEventListener("wheel", function (ev) {
	if (!ev.ctrlKey) return;
	ev.preventDefault();
	zoom(ev.deltaY > 0 ? 1.25 : 0.8, tAt(ev.offsetX));
}, { passive: false });
cv.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, v0: v0, v1: v1, moved: false }; });
window.addEventListener("mouseup", function (ev) {
	if (drag && !drag.moved && ev.target === cv) select(rowAt(ev));
	drag = null;
});
cv.addEventListener("mousemove", function (ev) {
	if (drag) {
		var dt = (ev.clientX - drag.x) / (W - LABW - 8) * (drag.v1 - drag.v0);
		if (Math.abs(ev.clientX - drag.x) > 2) drag.moved = true;
		v0 = drag.v0 - dt;
		v1 = drag.v1 - dt;
		draw();
		return;
	}
	var i = rowAt(ev);
	if (i < 0) { tip.style.display = "none"; return; }
	tip.textContent = describe(P[i]) + "\nat " + fmt(tAt(ev.offsetX));
	tip.style.left = (ev.clientX + 14) + "px";
	tip.style.top = (ev.clientY + 14) + "px";
	tip.style.display = "block";
});
cv.addEventListener("mouseleave", function () { tip.style.display = "none"; });
cv.addEventListener("dblclick", function () { v0 = 0; v1 = T1; draw(); });
document.getElementById("zin").onclick = function () { zoom(0.5); };
document.getElementById("zout").onclick = function () { zoom(2); };
document.getElementById("zall").onclick = function () { v0 = 0; v1 = T1; draw(); };

function refilter() {
	var q = document.getElementById("find").value.trim().toLowerCase();
	var only = document.getElementById("only").value;
	rows = order.filter(function (i) {
		var p = P[i];
		if (only === "z" && !(p.marks & (M.LONG | M.ZNOW))) return false;
		if (only === "o" && !(p.marks & M.ORPHAN)) return false;
		if (only === "r" && p.state !== "running") return false;
		return !q || (p.name || p.comm).toLowerCase().indexOf(q) >= 0 || String(p.pid) === q;
	});
	box.scrollTop = 0;
	layout();
}
document.getElementById("find").addEventListener("input", refilter);
document.getElementById("only").addEventListener("change", refilter);

/* the tree: children are made when a node opens, a hundred at a time */
function badge(text, cls) {
	var b = document.createElement("span");
	b.className = "bd" + (cls ? " " + cls : "");
	b.textContent = text;
	return b;
}
function treeNode(i) {
	var p = P[i], li = document.createElement("li"), row = document.createElement("div");
	var tg = document.createElement("span"), nm = document.createElement("span");
	tg.className = "tg";
	tg.textContent = p.kids.length ? "\u25b8" : "\u00b7";
	nm.className = "nm";
	nm.textContent = name(p);
	nm.onclick = function () { goTo(i); };
	row.append(tg, nm);
	if (p.marks & M.OUTSIDE) row.append(badge("not followed", "x"));
	else row.append(badge(p.state === "running" ? "running" : p.end || p.state));
	if (p.marks & M.BEFORE) row.append(badge("began before the trace"));
	if (p.marks & M.ZNOW) row.append(badge(p.state === "reaper-unknown" ?
		"zombie when last seen, reaper unknown" : "zombie at the end, not reaped", "zz"));
	else if (p.marks & M.LONG) row.append(badge("zombie " + zombieText(p), "z"));
	if (p.marks & M.ORPHAN) row.append(badge("orphan \u2192 " + p.adopter, "o"));
	if (p.kids.length) {
		row.append(badge(p.kids.length + (p.kids.length > 1 ? " children" : " child")));
		tg.onclick = function () { toggle(li); };
	}
	li.dataset.i = i;
	li.append(row);
	return li;
}
function more(ul, kids, from) {
	var to = Math.min(kids.length, from + 100);
	for (var k = from; k < to; k++) ul.append(treeNode(kids[k]));
	if (to < kids.length) {
		var li = document.createElement("li"), b = document.createElement("button");
		b.textContent = "show " + Math.min(100, kids.length - to) + " more (" + (kids.length - to) + " left)";
		b.onclick = function () { li.remove(); more(ul, kids, to); };
		li.append(b);
		ul.append(li);
	}
	return to - from;
}
function toggle(li) {
	var i = +li.dataset.i, ul = li.querySelector(":scope > ul");
	li.firstChild.firstChild.textContent = ul ? "\u25b8" : "\u25be";
	if (ul) { ul.remove(); return 0; }
	ul = document.createElement("ul");
	li.append(ul);
	return more(ul, P[i].kids, 0);
}
(function () {
	var t = document.getElementById("tree"), budget = 300, queue = [];
	more(t, roots, 0);
	t.querySelectorAll(":scope > li").forEach(function (li) { queue.push(li); });
	while (queue.length && budget > 0) {
		var li = queue.shift();
		if (!P[+li.dataset.i].kids.length) continue;
		budget -= toggle(li);
		li.querySelectorAll(":scope > ul > li[data-i]").forEach(function (c) { queue.push(c); });
	}
})();

/* tables, a hundred rows at a time */
function table(el, head, items, cells) {
	var tb = document.createElement("table"), tr = document.createElement("tr"), shown = 0;
	head.forEach(function (h) { var th = document.createElement("th"); th.textContent = h; tr.append(th); });
	tb.append(tr);
	el.append(tb);
	var btn = document.createElement("button");
	function page() {
		var to = Math.min(items.length, shown + 100);
		for (; shown < to; shown++) {
			var p = items[shown], row = document.createElement("tr");
			cells(p).forEach(function (c, k) {
				var td = document.createElement("td");
				td.textContent = c;
				if (k === 0) { td.className = "pid"; td.onclick = function () { goTo(p.i); }; }
				else if (typeof c === "number") td.className = "num";
				row.append(td);
			});
			tb.append(row);
		}
		btn.textContent = "show more (" + (items.length - shown) + " left)";
		btn.style.display = shown < items.length ? "" : "none";
	}
	btn.onclick = page;
	el.append(btn);
	if (!items.length) {
		var n = document.createElement("div");
		n.className = "note";
		n.textContent = "none";
		el.append(n);
	}
	page();
}
(function () {
	var z = P.filter(function (p) { return p.zombie >= 0 && !(p.marks & M.OUTSIDE); });
	function held(p) { return p.zns >= 0 ? p.zns : T1 - p.zombie; }
	z.sort(function (a, b) { return held(b) - held(a); });
	document.getElementById("zh").textContent = "Zombies (" + z.length + ", longest first)";
	table(document.getElementById("zombies"),
		["pid", "command", "zombie for", "parent", "reaped by", "how", "status", ""], z,
		function (p) {
			return [p.pid, p.name || p.comm, zombieText(p), p.zparent, p.reaper || "",
				p.reapk || (p.state === "reaper-unknown" ? "unknown" : "never"),
				p.end, (p.marks & M.ZNOW) ?
				(p.state === "reaper-unknown" ? "reaper unknown (records lost)" : "unreaped at the end") : (p.marks & M.LONG) ? "past " + D.zombie_ms + " ms" :
				(p.marks & M.ZADOPT) ? "adopted as a zombie" : ""];
		});
	var o = P.filter(function (p) { return p.marks & M.ORPHAN; });
	o.sort(function (a, b) { return a.reparent - b.reparent; });
	document.getElementById("oh").textContent = "Orphans (" + o.length + ")";
	table(document.getElementById("orphans"),
		["pid", "command", "old parent", "new parent", "adopter", "at", ""], o,
		function (p) {
			return [p.pid, p.name || p.comm, p.old, p.parent, p.adopter, fmt(p.reparent),
				((p.marks & M.ZADOPT) ? "already a zombie" : "") + ((p.marks & M.DFORK) ? "double fork" : "")];
		});
})();

layout();
document.body.setAttribute("data-ready-ms", performance.now().toFixed(1));
