package io.egressgateway.adapters.webhook;

import io.egressgateway.application.lifecycle.ReadinessCheck;
import io.egressgateway.application.port.in.AdmissionDecision;
import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import io.egressgateway.application.port.in.AdmitResourceUseCase;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests of one listener: admission reviews, {@code /metrics}, {@code /healthz},
 * {@code /readyz}, whichever this listener serves. Shared by all its connections. Answers are
 * computed on a small worker pool (a slow use case or scrape never stalls the event loop) and
 * written back from there, which Netty allows from any thread.
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
    private static final AttributeKey<CompletableFuture<Void>> TAIL = AttributeKey.valueOf("egw-answer-tail");

    private final Set<Route> routes;
    private final AdmitResourceUseCase admission;
    private final AdmissionReviewCodec codec;
    private final PrometheusScrape metrics;
    private final ReadinessCheck liveness;
    private final ReadinessCheck readiness;
    private final WebhookMetrics counters;
    private final Executor workers;

    HttpRoutes(Set<Route> routes, AdmitResourceUseCase admission, AdmissionReviewCodec codec, PrometheusScrape metrics,
               ReadinessCheck liveness, ReadinessCheck readiness, WebhookMetrics counters, Executor workers) {
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
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path = q >= 0 ? uri.substring(0, q) : uri;
        HttpMethod method = req.method();
        byte[] body = ByteBufUtil.getBytes(req.content()); // the request is released when this returns
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        ctx.pipeline().fireUserEventTriggered(RequestDeadlineHandler.RECEIVED);
        // answers of one connection leave in request order, even when a client pipelines
        Attribute<CompletableFuture<Void>> tail = ctx.channel().attr(TAIL);
        CompletableFuture<Void> previous = tail.get() == null ? CompletableFuture.completedFuture(null) : tail.get();
        try {
            tail.set(previous.thenRunAsync(() -> answer(ctx, method, path, body, keepAlive), workers));
        } catch (RejectedExecutionException shuttingDown) {
            answer(ctx, keepAlive, text(HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting down\n"));
        }
    }

    private void answer(ChannelHandlerContext ctx, HttpMethod method, String path, byte[] body, boolean keepAlive) {
        FullHttpResponse resp;
        try {
            resp = route(method, path, body);
        } catch (RuntimeException e) {
            // the admission path never gets here (it answers every failure with a review); this is a bug
            LOG.error("request path={} failed: {}", path, e.toString(), e);
            resp = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
        }
        answer(ctx, keepAlive, resp);
    }

    private static void answer(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse resp) {
        HttpUtil.setKeepAlive(resp, keepAlive);
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
        var f = ctx.writeAndFlush(resp);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse route(HttpMethod method, String path, byte[] body) {
        if (routes.contains(Route.ADMISSION) && ADMISSION_PATHS.containsKey(path)) {
            if (!HttpMethod.POST.equals(method)) {
                return text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST\n");
            }
            return json(admit(body, ADMISSION_PATHS.get(path)));
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

    /** Always a review: a body we cannot read or a use case that throws is a denial, never an HTTP error. */
    byte[] admit(byte[] body, Phase phase) {
        long start = System.nanoTime();
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
            }
            if (!decision.allowed()) {
                LOG.info("denied uid={} kind={} name={} operation={} user={}: {}", d.uid(), d.request().kind().kind(),
                        d.request().name(), d.request().operation(), d.request().userName(), decision.message());
            }
        }
        counters.admission(phase, kind, decision, System.nanoTime() - start);
        return codec.encode(d.uid(), decision);
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
