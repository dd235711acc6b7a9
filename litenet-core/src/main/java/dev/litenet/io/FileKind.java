package dev.litenet.io;

import dev.litenet.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a weights file is, told by its first bytes: a torch zip archive ("PK"), a legacy torch pickle
 * (pickle protocol 2, "0x80 0x02", as torch &lt; 1.6 wrote), or safetensors (u64 header length, then '{').
 */
enum FileKind {
    TORCH_ZIP, TORCH_LEGACY, SAFETENSORS, EMPTY, UNKNOWN;

    static FileKind of(Path file) {
        Budget.regularFile(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(9);
        } catch (IOException e) {
            throw ReadError.of(file, e);
        }
        if (head.length == 0) return EMPTY;
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))) return TORCH_ZIP;
        if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] == 2) return TORCH_LEGACY;
        if (head.length == 9 && head[8] == '{') return SAFETENSORS;
        return UNKNOWN;
    }
}
