package dev.litenet.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP response body read as an {@link InputStream} whose reads give up when no bytes arrive for
 * {@code stall}. The JDK's {@code BodyHandlers.ofInputStream()} waits forever on a server that stops sending
 * without closing; its request timeout covers only the wait for the headers.
 */
public final class StallTimeoutBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();

    /** Holds {@code List<ByteBuffer>} chunks, then {@link #END} or the {@code Throwable} that ended the body. */
    private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    private final Duration stall;
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> chunk = Collections.emptyIterator();
    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean ended;

    StallTimeoutBody(Duration stall) { this.stall = stall; }

    public static HttpResponse.BodyHandler<InputStream> handler(Duration stall) {
        return info -> new StallTimeoutBody(stall);
    }

    @Override public CompletionStage<InputStream> getBody() { return CompletableFuture.completedStage(this); }

    @Override public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override public void onNext(List<ByteBuffer> item) { arrivals.add(item); }

    @Override public void onError(Throwable error) { arrivals.add(error); }

    @Override public void onComplete() { arrivals.add(END); }

    @Override public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (!current.hasRemaining()) {
            if (ended) return -1;
            if (chunk.hasNext()) {
                current = chunk.next();
                continue;
            }
            Object next = take();
            if (next == END) {
                ended = true;
            } else if (next instanceof IOException e) {
                throw e;
            } else if (next instanceof Throwable t) {
                throw new IOException(t);
            } else {
                @SuppressWarnings("unchecked") List<ByteBuffer> buffers = (List<ByteBuffer>) next;
                chunk = buffers.iterator();
                subscription.request(1);
            }
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    private Object take() throws IOException {
        try {
            Object next = arrivals.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                close();
                throw new HttpTimeoutException("no data received for " + stall.toMillis() + " ms");
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while waiting for data");
        }
    }

    @Override public void close() {
        Flow.Subscription s = subscription;
        if (s != null && !ended) s.cancel();
        ended = true;
    }
}
