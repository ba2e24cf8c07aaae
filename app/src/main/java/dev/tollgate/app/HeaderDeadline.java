package dev.tollgate.app;

import dev.tollgate.core.TollgateMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A request's line and headers must arrive within {@code http.headerTimeout} of its first byte (of the
 * connection's opening, for its first request), else the client gets 408 and the connection is closed. So
 * a peer that sends a header every few seconds, or nothing at all, cannot hold a connection for long;
 * between requests a kept-alive connection waits up to {@code http.idleTimeout}, as Vert.x enforces. (The
 * start of a request pipelined behind another's last bytes is bounded by the idle timeout only.)
 *
 * <p>Vert.x has no such deadline, so two small handlers join the connection's Netty pipeline: one before
 * everything, which sees a request's first bytes arrive, and one after the HTTP decoder, which sees its
 * headers complete and its end. Both run on the connection's event loop. HTTP/2 connections are left as
 * they are.
 */
final class HeaderDeadline {

    private static final String TIMEOUT_BODY = "Request timeout: the request headers did not arrive in time.\n";
    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + TIMEOUT_BODY.length()
                    + "\r\nConnection: close\r\n\r\n" + TIMEOUT_BODY)
            .getBytes(StandardCharsets.US_ASCII);

    private enum State {
        WAITING_FOR_HEADERS,
        IN_REQUEST,
        BETWEEN_REQUESTS
    }

    private final long timeoutNanos;
    private final TollgateMetrics metrics;
    private ChannelHandlerContext head;
    private State state = State.WAITING_FOR_HEADERS;
    /** When the current wait for headers began ({@link System#nanoTime}). */
    private long waitingSince;
    /**
     * The pending check, if any. It is not cancelled when headers arrive: a request then costs no timer of its
     * own, and the check, when it comes, looks at whichever wait is current.
     */
    private ScheduledFuture<?> timer;

    private HeaderDeadline(Duration timeout, TollgateMetrics metrics) {
        this.timeoutNanos = timeout.toNanos();
        this.metrics = metrics;
    }

    /** Puts the deadline on {@code connection}, from now, when it is an HTTP/1.x connection of a Vert.x server. */
    static void install(HttpConnection connection, Duration timeout, TollgateMetrics metrics) {
        if (!(connection instanceof io.vertx.core.http.impl.HttpServerConnection server)) {
            return;
        }
        ChannelPipeline pipeline = server.channelHandlerContext().pipeline();
        if (pipeline.get("httpDecoder") == null) {
            return;
        }
        HeaderDeadline deadline = new HeaderDeadline(timeout, metrics);
        pipeline.addFirst("tollgate-request-start", deadline.new RequestStart());
        pipeline.addAfter("httpDecoder", "tollgate-request-headers", deadline.new RequestHeaders());
    }

    private void start() {
        state = State.WAITING_FOR_HEADERS;
        waitingSince = System.nanoTime();
        if (timer == null) {
            timer = head.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void close() {
        state = State.BETWEEN_REQUESTS;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Answers 408 when the current wait has lasted the timeout; checks again when a later wait has not yet. */
    private void check() {
        timer = null;
        if (state != State.WAITING_FOR_HEADERS || !head.channel().isActive()) {
            // not waiting now: the next request's first bytes schedule the next check
            return;
        }
        long left = waitingSince + timeoutNanos - System.nanoTime();
        if (left > 0) {
            timer = head.executor().schedule(this::check, left, TimeUnit.NANOSECONDS);
            return;
        }
        metrics.refused("header_timeout");
        head.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_RESPONSE)).addListener(ChannelFutureListener.CLOSE);
    }

    /** First in the pipeline: raw bytes arriving between requests start the clock. */
    private final class RequestStart extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            head = ctx;
            start();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (state == State.BETWEEN_REQUESTS && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                start();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            close();
            super.channelInactive(ctx);
        }
    }

    /** After the HTTP decoder: complete headers stop the clock, the request's end waits for the next. */
    private final class RequestHeaders extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                state = State.IN_REQUEST;
            }
            if (msg instanceof LastHttpContent) {
                state = State.BETWEEN_REQUESTS;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
