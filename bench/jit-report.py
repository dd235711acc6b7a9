#!/usr/bin/env python3
"""What HotSpot's optimizing compiler (C2) did with LiteNet's code in one process, from its -XX:+LogCompilation file.

    java -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=hotspot.log ...
    bench/jit-report.py hotspot.log [--all]

For every C2 compilation of a dev.litenet method it lists the calls C2 did not inline that a vector or mask value
crosses (a method, LiteNet's or the Vector API's, taking or returning one: the value is then boxed, an object per
call, and the callee runs the Vector API's Java fallback unless it knows the vector's species: several times
slower) and the Vector API's intrinsic entry points (VectorSupport) left as calls, and compilations that failed;
then the deoptimizations taken at run time in dev.litenet code with their reasons, and the compiled dev.litenet
methods thrown away. Two processes of the same program that differ here run different machine code;
see docs/BENCHMARKS.md, "Process-to-process spread". --all lists every C2 compilation, not only those with a
failure. Standard library only.
"""
import collections
import re
import sys
import xml.etree.ElementTree as ET

OURS = "dev.litenet."
VECTOR = ("jdk.incubator.vector.", "jdk.internal.vm.vector.")
COLD = ("check", "bad", "illegal", "throw")     # the Vector API's error paths: never run, not worth inlining


def readable(holder, name):
    return holder + "::" + name


def parse(path):
    """Yields (kind, element) for the interesting events of a LogCompilation file, streaming."""
    # the file is one XML document when the JVM exited cleanly; wrap it anyway, in case it did not
    text = open(path, encoding="utf-8", errors="replace").read()
    text = re.sub(r"^<\?xml[^>]*>", "", text)
    if "</hotspot_log>" not in text:
        text += "</hotspot_log>" if "<hotspot_log" in text else ""
    root = ET.fromstring("<root>" + text + "</root>")
    return root


def tasks(root):
    """Every <task> element with its compile id, level and method, wherever it sits in the tree."""
    for task in root.iter("task"):
        yield task


def report(path, show_all=False):
    root = parse(path)
    fails = collections.Counter()
    lines = []
    for task in tasks(root):
        method = task.get("method", "")
        if not method.startswith(OURS) or task.get("level") not in (None, "4"):     # C2 tasks carry no level
            continue
        klasses, methods = {}, {}
        problems = []
        last_callee = None
        for e in task.iter():
            if e.tag == "klass":
                klasses[e.get("id")] = e.get("name")
            elif e.tag == "method":
                types = [klasses.get(t, "") for t in (e.get("arguments") or "").split() + [e.get("return")]]
                methods[e.get("id")] = (klasses.get(e.get("holder"), "?"), e.get("name"), any(t.startswith(VECTOR) for t in types))
            elif e.tag == "call":
                last_callee = methods.get(e.get("method"))
            elif e.tag == "inline_fail" and last_callee:
                holder, name, vectors = last_callee
                if holder.startswith(VECTOR[1]) or vectors and not name.startswith(COLD):
                    problems.append("not inlined: %s (%s)" % (readable(holder, name), e.get("reason")))
            elif e.tag == "failure":
                problems.append("compilation failed: %s" % e.get("reason"))
        done = task.find("task_done")
        if done is not None and done.get("success") == "0":
            problems.append("compilation did not succeed")
        name = method.split(" ")
        title = "%s (id %s)" % (readable(name[0], name[1] if len(name) > 1 else "?"), task.get("compile_id"))
        for p in problems:
            fails[p.split(" (")[0]] += 1
        if problems or show_all:
            lines.append(title)
            for p, n in collections.Counter(problems).most_common():
                lines.append("    %s%s" % (p, "" if n == 1 else " x%d" % n))
    print("C2 compilations of dev.litenet methods with a vector crossing a call not inlined, a Vector API intrinsic "
          "left as a call, or a failed compilation:")
    print("\n".join(lines) if lines else "    none")

    # compiled code by compile id, for the runtime events that name only that
    compiled = {e.get("compile_id"): e.get("method", "") for e in root.iter("task_queued")}
    traps = collections.Counter()
    for e in root.iter("uncommon_trap"):
        if e.get("thread") is None:              # a trap C2 planted while compiling, not one taken at run time
            continue
        jvms = e.find("jvms")
        where = jvms.get("method", "") if jvms is not None else compiled.get(e.get("compile_id"), "")
        code = compiled.get(e.get("compile_id"), "")
        if where.startswith(OURS) or code.startswith(OURS):
            traps[(e.get("reason"), e.get("action"), short(where), short(code))] += 1
    not_entrant = collections.Counter()
    for e in root.iter("make_not_entrant"):
        m = compiled.get(e.get("compile_id"), "")
        if m.startswith(OURS) and e.get("reason") != "not used":
            not_entrant[(short(m), e.get("compiler"), e.get("reason"))] += 1
    print("\nDeoptimizations taken at run time in dev.litenet code: %d" % sum(traps.values()))
    for (reason, action, where, code), n in traps.most_common(30):
        print("    %4d  %s / %s at %s%s" % (n, reason, action, where, "" if where == code else " (in %s)" % code))
    print("\nCompiled dev.litenet methods thrown away (made not entrant, other than for a higher tier): %d" % sum(not_entrant.values()))
    for (m, compiler, reason), n in not_entrant.most_common(30):
        print("    %4d  %s (%s, %s)" % (n, m, compiler, reason))


def short(method):
    """'dev.litenet.tensor.GemmSimd narrow8 (I...)V' -> 'GemmSimd::narrow8'"""
    parts = method.split(" ")
    return parts[0].rsplit(".", 1)[-1] + "::" + parts[1] if len(parts) > 1 else method


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        print(__doc__)
        sys.exit(2)
    report(args[0], show_all="--all" in sys.argv)
