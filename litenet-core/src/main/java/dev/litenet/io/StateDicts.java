package dev.litenet.io;

import dev.litenet.BadInputException;
import dev.litenet.tensor.TorchTensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;

/** Reads named weights from any file LiteNet understands, choosing the reader by the file's content. */
public final class StateDicts {
    private StateDicts() {}

    /** A torch .pth (zip or legacy) or a safetensors file -> its tensors in file order. */
    public static LinkedHashMap<String, TorchTensor> read(Path file) {
        return switch (FileKind.of(file)) {
            case TORCH_ZIP -> TorchStateDict.readZip(file);
            case TORCH_LEGACY -> TorchStateDict.readLegacy(file);
            case SAFETENSORS -> Safetensors.read(file);
            case EMPTY -> throw new BadInputException(file, "empty file");
            case UNKNOWN -> throw new BadInputException(file, "not a PyTorch state_dict or safetensors file");
        };
    }
}
