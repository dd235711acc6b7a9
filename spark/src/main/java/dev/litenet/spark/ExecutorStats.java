package dev.litenet.spark;

import org.apache.spark.util.AccumulatorV2;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What each executor did, gathered through one Spark accumulator rather than log lines (a task's log may go
 * nowhere): its tasks, how many ran LiteNet's Vector API kernels and how many only the scalar ones, its model
 * loads, and its cold start, the longest time a task took from its start to its first batch of rows. Tasks add
 * one {@link Task} each; the driver reads the totals per executor id and {@link #format formats} them for the
 * summary line. As with any accumulator updated in a transformation, a retried task counts twice.
 */
final class ExecutorStats extends AccumulatorV2<ExecutorStats.Task, Map<String, ExecutorStats.Executor>> {
    /**
     * One finished task.
     *
     * @param executor        the executor's id ({@code driver} in local mode)
     * @param vectorApi       whether the JVM has the Vector API kernels at all ({@code jdk.incubator.vector})
     * @param vector          whether the JVM's kernels were on the Vector API when the task ended (the switch from
     *                        the scalar start is per JVM and one-way, so a task that ended on them ran its last
     *                        batches on them)
     * @param modelLoads      classifiers the task loaded (0 when it reused one, 1 on a cold task slot)
     * @param firstBatchNanos from the task's start to its first batch of rows, or -1 for a task without rows
     */
    record Task(String executor, boolean vectorApi, boolean vector, int modelLoads, long firstBatchNanos) implements Serializable {}

    /**
     * The totals of one executor.
     *
     * @param tasks          tasks run
     * @param vectorTasks    of which some Vector API kernel ran
     * @param vectorApi      whether every task's JVM had the Vector API kernels
     * @param modelLoads     classifiers loaded
     * @param coldStartNanos the longest time from a task's start to its first batch of rows, or -1
     */
    record Executor(int tasks, int vectorTasks, boolean vectorApi, int modelLoads, long coldStartNanos) implements Serializable {
        static final Executor NONE = new Executor(0, 0, true, 0, -1);

        Executor plus(Task t) {
            return new Executor(tasks + 1, vectorTasks + (t.vector() ? 1 : 0), vectorApi && t.vectorApi(),
                    modelLoads + t.modelLoads(), Math.max(coldStartNanos, t.firstBatchNanos()));
        }

        Executor plus(Executor o) {
            return new Executor(tasks + o.tasks, vectorTasks + o.vectorTasks, vectorApi && o.vectorApi,
                    modelLoads + o.modelLoads, Math.max(coldStartNanos, o.coldStartNanos));
        }

        /** Tasks that ran the scalar kernels only. */
        int scalarTasks() { return tasks - vectorTasks; }
    }

    private final TreeMap<String, Executor> byExecutor = new TreeMap<>();

    @Override public boolean isZero() { return byExecutor.isEmpty(); }

    @Override public ExecutorStats copy() {
        ExecutorStats c = new ExecutorStats();
        synchronized (this) {
            c.byExecutor.putAll(byExecutor);
        }
        return c;
    }

    @Override public synchronized void reset() { byExecutor.clear(); }

    @Override public synchronized void add(Task t) { byExecutor.merge(t.executor(), Executor.NONE.plus(t), (a, b) -> a.plus(t)); }

    @Override public void merge(AccumulatorV2<Task, Map<String, Executor>> other) {
        Map<String, Executor> theirs = other.value();
        synchronized (this) {
            theirs.forEach((id, e) -> byExecutor.merge(id, e, Executor::plus));
        }
    }

    @Override public synchronized Map<String, Executor> value() { return Collections.unmodifiableMap(new TreeMap<>(byExecutor)); }

    /**
     * The per-executor part of the summary line, e.g.
     * {@code executor 0: 2 tasks (1 vector, 1 scalar), 1 model load, cold start 4.2 s; executor 1: ...};
     * {@code scalar: no jdk.incubator.vector} when an executor's JVM lacks the module.
     *
     * @param executors totals by executor id
     * @return one line, no newline
     */
    static String format(Map<String, Executor> executors) {
        StringJoiner line = new StringJoiner("; ");
        executors.forEach((id, e) -> line.add(String.format(java.util.Locale.ROOT,
                "executor %s: %d task%s (%d vector, %d scalar%s), %d model load%s, cold start %s",
                id, e.tasks(), e.tasks() == 1 ? "" : "s", e.vectorTasks(), e.scalarTasks(),
                e.vectorApi() ? "" : ": no jdk.incubator.vector", e.modelLoads(), e.modelLoads() == 1 ? "" : "s",
                e.coldStartNanos() < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f s", e.coldStartNanos() / 1e9))));
        return line.toString();
    }
}
