package dev.litenet.train;

import dev.litenet.BadInputException;
import dev.litenet.TrainEvent;
import dev.litenet.io.Budget;
import dev.litenet.io.Json;
import dev.litenet.io.Safetensors;
import dev.litenet.models.Network;
import dev.litenet.models.RunFolder;
import dev.litenet.models.RunManifest;
import dev.litenet.models.WeightsCache;
import dev.litenet.models.StateDict;
import dev.litenet.tensor.TorchTensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state after the last completed epoch, as one file ({@code checkpoint.safetensors}) committed to the run
 * folder's manifest: every weight, the optimizer's state ({@code optimizer.*}), and in its metadata the history so
 * far and the training options a resumed run must share ({@link #recipe}). Resuming from it gives the same model,
 * bit for bit, as a run never interrupted.
 */
public final class Checkpoint {
    private static final String OPTIMIZER = "optimizer.", HISTORY = "history", OPTION = "option.";

    private final Path dir;
    private final Map<String, String> recipe;
    private final Path file;                               // the verified checkpoint to resume from, or null
    private final List<TrainEvent.EpochStats> history;

    private Checkpoint(Path dir, Map<String, String> recipe, Path file, List<TrainEvent.EpochStats> history) {
        this.dir = dir;
        this.recipe = recipe;
        this.file = file;
        this.history = history;
    }

    /**
     * The checkpoints of a run into {@code o.out()}; with {@code o.resume()}, the one to resume from, refused if its
     * training options differ from {@code o}'s. Cheap enough to call before any work.
     *
     * @throws BadInputException if the run folder does not match its manifest or the options differ
     */
    public static Checkpoint open(TrainOptions o) throws IOException {
        Map<String, String> recipe = recipe(o);
        Path file = o.resume() ? RunManifest.verified(o.out()).get(RunFolder.CHECKPOINT) : null;
        if (file == null) return new Checkpoint(o.out(), recipe, null, List.of());
        Map<String, String> saved = Safetensors.readMetadata(file);
        for (Map.Entry<String, String> e : recipe.entrySet()) {
            String was = saved.get(OPTION + e.getKey());
            if (!e.getValue().equals(was)) {
                throw new BadInputException(file, "was made with " + e.getKey() + " " + was + ", this run has " + e.getValue()
                        + "; resume with the options of the interrupted run");
            }
        }
        List<TrainEvent.EpochStats> history = RunFolder.parseHistory(file, String.valueOf(saved.get(HISTORY)));
        int epochs = RunManifest.read(o.out()).epochs();
        if (history.size() != epochs) throw new BadInputException(file, history.size() + " epochs, but " + RunManifest.FILE + " says " + epochs);
        return new Checkpoint(o.out(), recipe, file, history);
    }

    /** Loads the checkpoint into the model and optimizer; returns the history so far (empty: start afresh). */
    public List<TrainEvent.EpochStats> restore(Network model, Optimizer optimizer) {
        if (file == null) return List.of();
        Map<String, float[]> opt = new LinkedHashMap<>();
        LinkedHashMap<String, TorchTensor> weights = new LinkedHashMap<>();
        Safetensors.read(file).forEach((k, v) -> {
            if (k.startsWith(OPTIMIZER)) opt.put(k.substring(OPTIMIZER.length()), v.data());
            else weights.put(k, v);
        });
        StateDict.load(model, weights, file.toString());
        optimizer.loadState(opt);
        return history;
    }

    /** Commits the state after a completed epoch; the run folder's other files stay as they are. */
    public void save(Network model, Optimizer optimizer, List<TrainEvent.EpochStats> history) throws IOException {
        LinkedHashMap<String, TorchTensor> state = StateDict.of(model);
        optimizer.state().forEach((k, v) -> state.put(OPTIMIZER + k, new TorchTensor(new int[]{v.length}, v)));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(HISTORY, Json.write(RunFolder.historyJson(history)));
        recipe.forEach((k, v) -> metadata.put(OPTION + k, v));
        RunManifest.commit(dir, Map.of(RunFolder.CHECKPOINT, f -> Safetensors.write(f, state, metadata)), false, history.size());
    }

    /** The options that shape the weights, by their command-line names: a resumed run must have the same. */
    static Map<String, String> recipe(TrainOptions o) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        Budget.regularFile(o.weights());
        m.put("--weights (sha256)", WeightsCache.sha256Hex(o.weights()));
        if (o.architecture() != null) m.put("--arch", o.architecture());
        m.put("--input-size", Integer.toString(o.inputSize()));
        m.put("--crop-fraction", Double.toString(o.cropFraction()));
        m.put("--unfreeze-from", Integer.toString(o.unfreezeFrom()));
        m.put("--optimizer", o.optimizer());
        m.put("--lr", Double.toString(o.lr()));
        m.put("--schedule", o.schedule().name().toLowerCase(java.util.Locale.ROOT));
        // a schedule other than constant spreads its curve over all the epochs: each epoch's rate depends on them
        if (o.schedule() != dev.litenet.LrSchedule.CONSTANT) m.put("--epochs", Integer.toString(o.epochs()));
        m.put("--weight-decay", Double.toString(o.weightDecay()));
        m.put("--batch-size", Integer.toString(o.batchSize()));
        m.put("--augment", Boolean.toString(o.augment()));
        m.put("--seed", Long.toString(o.seed()));
        m.put("--val-split", Double.toString(o.valSplit()));
        return m;
    }
}
