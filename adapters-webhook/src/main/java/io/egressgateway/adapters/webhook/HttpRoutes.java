package io.egressgateway.adapters.webhook;

import io.egressgateway.application.lifecycle.ReadinessCheck;
import io.egressgateway.application.port.in.AdmissionDecision;
import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import io.egressgateway.application.port.in.AdmitResourceUseCase;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.WriteTimeoutException;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests of one listener: admission reviews, {@code /metrics}, {@code /healthz},
 * {@code /readyz}, whichever this listener serves. Shared by all its connections. Connections do
 * not read on their own (autoRead is off): each reads one request, hands it to the listener's
 * {@link BoundedWorkers} (a slow use case or scrape never stalls the event loop) and reads the next
 * only once the answer is written, so answers leave in request order, one connection holds at most
 * one request, and a client that does not read its answers stops being read.
 */
@ChannelHandler.Sharable
final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {
    enum Route { ADMISSION, METRICS, HEALTH }

    /** The admission paths and which webhook each one is. */
    static final Map<String, Phase> ADMISSION_PATHS = Map.of(
            "/validate-egressgateway", Phase.VALIDATE,
            "/mutate-egressgateway", Phase.MUTATE,
            "/validate-egressgatewaypolicy", Phase.VALIDATE,
            "/mutate-egressgatewaypolicy", Phase.MUTATE,
            "/validate-controller-owned", Phase.VALIDATE);

    private static final Logger LOG = LoggerFactory.getLogger(HttpRoutes.class);
    /** True from a whole request until its answer is written: do not read the connection meanwhile. */
    private static final AttributeKey<Boolean> BUSY = AttributeKey.valueOf("egw-busy");
    private static final long OVERLOAD_LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Set<Route> routes;
    private final AdmitResourceUseCase admission;
    private final AdmissionReviewCodec codec;
    private final PrometheusScrape metrics;
    private final ReadinessCheck liveness;
    private final ReadinessCheck readiness;
    private final WebhookMetrics counters;
    private final BoundedWorkers workers;
    private final AtomicLong overloadedSinceLog = new AtomicLong();
    private final AtomicLong lastOverloadLog = new AtomicLong(System.nanoTime() - OVERLOAD_LOG_EVERY_NANOS);

    HttpRoutes(Set<Route> routes, AdmitResourceUseCase admission, AdmissionReviewCodec codec, PrometheusScrape metrics,
               ReadinessCheck liveness, ReadinessCheck readiness, WebhookMetrics counters, BoundedWorkers workers) {
        this.routes = Set.copyOf(routes);
        this.admission = admission;
        this.codec = codec;
        this.metrics = metrics;
        this.liveness = liveness;
        this.readiness = readiness;
        this.counters = counters;
        this.workers = workers;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.read(); // autoRead is off: ask for the first request
        super.channelActive(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!Boolean.TRUE.equals(ctx.channel().attr(BUSY).get())) {
            ctx.read(); // part of a request so far (or a 413 sent early): keep reading
        }
        ctx.fireChannelReadComplete();
    }

    /**
     * A broken connection or request (reset, idle or write timeout, bad TLS, more than the codec's
     * pipelining depth): close it with one DEBUG line, no stack trace, since hostile or merely idle
     * clients cause these by the thousand. Anything else is a fault of ours: WARN with the stack.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof WriteTimeoutException) {
            counters.closed("write_timeout");
        }
        if (ConnectionFaults.ordinary(cause)) {
            LOG.debug("closing connection remote={}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            counters.closed("error");
            LOG.warn("closing connection remote={} after an unexpected error: {}", ctx.channel().remoteAddress(),
                    cause.toString(), cause);
        }
        ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.decoderResult().isFailure()) {
            // not HTTP, or cut off by the client closing: 400 (if it is still there) and close
            LOG.debug("unreadable request remote={}: {}", ctx.channel().remoteAddress(), req.decoderResult().cause().toString());
            ctx.channel().attr(BUSY).set(true);
            answer(ctx, false, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"));
            return;
        }
        long received = System.nanoTime();
        ctx.channel().attr(BUSY).set(true);
        ConnectionLimiter.busy(ctx.channel());
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path = q >= 0 ? uri.substring(0, q) : uri;
        HttpMethod method = req.method();
        byte[] body = ByteBufUtil.getBytes(req.content()); // the request is released when this returns
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        ctx.pipeline().fireUserEventTriggered(RequestDeadlineHandler.RECEIVED);
        workers.submit(() -> answer(ctx, method, path, body, keepAlive, received),
                reason -> overloaded(ctx, path, keepAlive, reason));
    }

    /**
     * 503 at once: the API server then applies the webhook's failurePolicy (Fail: the write is
     * refused with this text; Ignore: allowed) instead of timing out; a denying review would
     * bypass Ignore and block the controller's own writes.
     */
    private void overloaded(ChannelHandlerContext ctx, String path, boolean keepAlive, String reason) {
        boolean review = routes.contains(Route.ADMISSION) && ADMISSION_PATHS.containsKey(path);
        if (review) {
            counters.outcome(WebhookMetrics.Outcome.REJECTED_OVERLOAD, 0);
        }
        long n = overloadedSinceLog.incrementAndGet();
        long last = lastOverloadLog.get();
        long now = System.nanoTime();
        if (now - last >= OVERLOAD_LOG_EVERY_NANOS && lastOverloadLog.compareAndSet(last, now)) {
            overloadedSinceLog.addAndGet(-n);
            LOG.warn("refused {} request(s) with 503 path={} remote={}: {}", n, path, ctx.channel().remoteAddress(), reason);
        }
        answer(ctx, keepAlive, text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "egressgateway webhook overloaded (" + reason + "); refused at once rather than answered late\n"));
    }

    private void answer(ChannelHandlerContext ctx, HttpMethod method, String path, byte[] body, boolean keepAlive,
                        long received) {
        FullHttpResponse resp;
        try {
            resp = route(method, path, body, received);
        } catch (RuntimeException e) {
            // the admission path never gets here (it answers every failure with a review); this is a bug
            LOG.error("request path={} failed: {}", path, e.toString(), e);
            resp = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
        }
        if (HttpMethod.HEAD.equals(method)) {
            // same headers as GET, no body (RFC 9110); Content-Length still tells the GET's size
            int length = resp.content().readableBytes();
            FullHttpResponse head = resp.replace(Unpooled.EMPTY_BUFFER);
            resp.release();
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
            write(ctx, keepAlive, head);
            return;
        }
        answer(ctx, keepAlive, resp);
    }

    /** Writes the answer; once it has left, reads the connection's next request (or closes it). */
    private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse resp) {
        HttpUtil.setKeepAlive(resp, keepAlive);
        ctx.writeAndFlush(resp).addListener(f -> {
            if (!keepAlive || !f.isSuccess()) {
                ctx.close();
                return;
            }
            ctx.channel().attr(BUSY).set(false);
            ConnectionLimiter.waiting(ctx.channel());
            ctx.read();
        });
    }

    private static void answer(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse resp) {
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
        write(ctx, keepAlive, resp);
    }

    private FullHttpResponse route(HttpMethod method, String path, byte[] body, long received) {
        if (routes.contains(Route.ADMISSION) && ADMISSION_PATHS.containsKey(path)) {
            if (!HttpMethod.POST.equals(method)) {
                return text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST\n");
            }
            return json(admit(body, ADMISSION_PATHS.get(path), received));
        }
        boolean get = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
        if (routes.contains(Route.METRICS) && path.equals("/metrics")) {
            if (!get) {
                return text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(metrics.scrape()));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, metrics.contentType());
            return r;
        }
        if (routes.contains(Route.HEALTH) && (path.equals("/healthz") || path.equals("/readyz"))) {
            if (!get) {
                return text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
            }
            ReadinessCheck check = path.equals("/healthz") ? liveness : readiness;
            ReadinessCheck.Result result;
            try {
                result = check.check();
            } catch (RuntimeException e) {
                result = ReadinessCheck.Result.failing("check failed: " + e);
            }
            return text(result.ok() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    (result.ok() ? "ok: " : "failing: ") + result.detail() + "\n");
        }
        return text(HttpResponseStatus.NOT_FOUND, "no such path: " + path + "\n");
    }

    byte[] admit(byte[] body, Phase phase) {
        return admit(body, phase, System.nanoTime());
    }

    /** Always a review: a body we cannot read or a use case that throws is a denial, never an HTTP error. */
    private byte[] admit(byte[] body, Phase phase, long received) {
        long start = System.nanoTime();
        WebhookMetrics.Outcome outcome = WebhookMetrics.Outcome.DENIED;
        AdmissionReviewCodec.Decoded d = codec.decode(body, phase);
        AdmissionDecision decision;
        String kind = "unknown";
        if (d.request() == null) {
            LOG.info("malformed admission review uid={}: {}", d.uid(), d.error());
            counters.malformed();
            decision = AdmissionDecision.deny(400, "malformed AdmissionReview: " + d.error());
        } else {
            kind = d.request().kind().name();
            try {
                decision = admission.admit(d.request());
            } catch (RuntimeException e) {
                LOG.error("admission failed uid={} kind={} name={}: {}", d.uid(), d.request().kind(), d.request().name(),
                        e.toString(), e);
                decision = AdmissionDecision.deny(500, "internal error in the egressgateway webhook: " + e);
                outcome = WebhookMetrics.Outcome.ERROR;
            }
            if (decision.allowed()) {
                outcome = WebhookMetrics.Outcome.ALLOWED;
            }
            if (!decision.allowed()) {
                LOG.info("denied uid={} kind={} name={} operation={} user={}: {}", d.uid(), d.request().kind().kind(),
                        d.request().name(), d.request().operation(), d.request().userName(), decision.message());
            }
        }
        counters.admission(phase, kind, decision, System.nanoTime() - start);
        byte[] encoded = codec.encode(d.uid(), decision);
        counters.outcome(outcome, System.nanoTime() - received);
        return encoded;
    }

    private static FullHttpResponse json(byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return r;
    }

    static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return r;
    }
}
