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
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests of one listener: admission reviews, {@code /metrics}, {@code /healthz},
 * {@code /readyz}, whichever this listener serves. Shared by all its connections; runs on a small
 * executor group so a slow use case never stalls the event loop.
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

    private final Set<Route> routes;
    private final AdmitResourceUseCase admission;
    private final AdmissionReviewCodec codec;
    private final PrometheusScrape metrics;
    private final ReadinessCheck liveness;
    private final ReadinessCheck readiness;
    private final WebhookMetrics counters;

    HttpRoutes(Set<Route> routes, AdmitResourceUseCase admission, AdmissionReviewCodec codec, PrometheusScrape metrics,
               ReadinessCheck liveness, ReadinessCheck readiness, WebhookMetrics counters) {
        this.routes = Set.copyOf(routes);
        this.admission = admission;
        this.codec = codec;
        this.metrics = metrics;
        this.liveness = liveness;
        this.readiness = readiness;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = req.uri();
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        FullHttpResponse resp;
        try {
            resp = route(req, path);
        } catch (RuntimeException e) {
            // the admission path never gets here (it answers every failure with a review); this is a bug
            LOG.error("request path={} failed: {}", path, e.toString(), e);
            resp = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(resp, keepAlive);
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
        var f = ctx.writeAndFlush(resp);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse route(FullHttpRequest req, String path) {
        if (routes.contains(Route.ADMISSION) && ADMISSION_PATHS.containsKey(path)) {
            if (!HttpMethod.POST.equals(req.method())) {
                return text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST\n");
            }
            return json(admit(ByteBufUtil.getBytes(req.content()), ADMISSION_PATHS.get(path)));
        }
        boolean get = HttpMethod.GET.equals(req.method()) || HttpMethod.HEAD.equals(req.method());
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
