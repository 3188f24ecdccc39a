package io.egressgateway.adapters.webhook;

import com.codahale.metrics.MetricRegistry;
import io.egressgateway.application.metrics.MetricSources;
import io.egressgateway.application.lifecycle.ReadinessCheck;
import io.egressgateway.application.lifecycle.Service;
import io.egressgateway.application.port.in.AdmitResourceUseCase;
import io.egressgateway.application.port.out.PublishCaBundlePort;
import io.egressgateway.application.port.out.StoreWebhookCaPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one HTTP server: admission reviews over HTTPS (controller only), {@code /metrics},
 * {@code /healthz} and {@code /readyz}, each on its own port. The module's public, Guice-free
 * entry point: bootstrap calls {@link #start} (or registers {@link #service}) and {@link #close}s it.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

    /**
     * What the server serves. {@code admission} and {@code caPublisher} may be null when the admission
     * port is 0 (the agent); {@code caPublisher} may be {@link #noCaPublisher()} when something else
     * (cert-manager's CA injector) keeps the webhook configurations' caBundle. {@code caStore} may be
     * null (each process mints its own CA); with self-signed certificates the controller passes the
     * cluster's store so every replica and every restart serves from the same CA.
     */
    public record Wiring(AdmitResourceUseCase admission, MetricRegistry metrics, ReadinessCheck liveness,
                         ReadinessCheck readiness, PublishCaBundlePort caPublisher, StoreWebhookCaPort caStore,
                         MetricSources sources) {
        public Wiring {
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(sources, "sources");
            Objects.requireNonNull(liveness, "liveness");
            Objects.requireNonNull(readiness, "readiness");
        }

        /** Without labelled metric sources: {@code /metrics} writes the Dropwizard registry only. */
        public Wiring(AdmitResourceUseCase admission, MetricRegistry metrics, ReadinessCheck liveness,
                      ReadinessCheck readiness, PublishCaBundlePort caPublisher, StoreWebhookCaPort caStore) {
            this(admission, metrics, liveness, readiness, caPublisher, caStore, new MetricSources());
        }

        /** Without a CA store: each process mints its own CA (tests, the agent). */
        public Wiring(AdmitResourceUseCase admission, MetricRegistry metrics, ReadinessCheck liveness,
                      ReadinessCheck readiness, PublishCaBundlePort caPublisher) {
            this(admission, metrics, liveness, readiness, caPublisher, null, new MetricSources());
        }

        /** The same wiring whose {@code /metrics} also writes the families of {@code more}. */
        public Wiring withSources(MetricSources more) {
            return new Wiring(admission, metrics, liveness, readiness, caPublisher, caStore, more);
        }
    }

    /** Admission's event loops (TLS) and the metrics and health listeners' own, so neither load starves the other. */
    private EventLoopGroup admissionGroup;
    private EventLoopGroup opsGroup;
    /** Each listener's answering threads, closed after the event loops. */
    private final List<BoundedWorkers> workers = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private volatile Channel admissionChannel;
    /** Accepted connections, closed on shutdown before the handler executors go away. */
    private final ChannelGroup connections = new DefaultChannelGroup("webhook", GlobalEventExecutor.INSTANCE);
    private final ServingCertificates certificates;
    private WebhookMetrics counters;

    /** The server's own metrics (tests read counters from it). */
    WebhookMetrics webhookMetrics() {
        return counters;
    }
    /** Certificate checks and CA publishing (API-server I/O) never run on an event loop. */
    private ScheduledExecutorService refresher;
    private int admissionPort;
    private int metricsPort;
    private int healthPort;

    /** Measures admission's queue wait; a test's clock makes maxQueueWait deterministic. */
    private final LongSupplier nanoClock;

    private WebhookServer(ServingCertificates certificates, LongSupplier nanoClock) {
        this.certificates = certificates;
        this.nanoClock = nanoClock;
    }

    /** Binds every enabled listener; on failure releases what it took and throws. */
    public static WebhookServer start(WebhookConfig config, Wiring wiring) throws Exception {
        return start(config, wiring, System::nanoTime);
    }

    static WebhookServer start(WebhookConfig config, Wiring wiring, LongSupplier nanoClock) throws Exception {
        ServingCertificates certs = null;
        if (config.admissionPort() != 0) {
            Objects.requireNonNull(wiring.admission(), "admission use case is required when the admission port is set");
            PublishCaBundlePort publisher = wiring.caPublisher() == null ? noCaPublisher() : wiring.caPublisher();
            certs = new ServingCertificates(config.tls(), publisher, wiring.caStore(), Clock.systemUTC());
            certs.init();
        }
        WebhookServer server = new WebhookServer(certs, nanoClock);
        try {
            server.bind(config, wiring);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The server as a role's {@link Service}: started and stopped by the bootstrap. */
    public static Service service(WebhookConfig config, Wiring wiring) {
        return new NettyWebhookServiceAdapter(config, wiring);
    }

    /** A publisher that drops the bundle (tests; or cert-manager keeps caBundle). */
    public static PublishCaBundlePort noCaPublisher() {
        return pem -> { };
    }

    /** A publisher that writes the bundle to a file (tests, or a sidecar that patches the configurations). */
    public static PublishCaBundlePort caBundleFile(Path file) {
        return new FileCaBundleAdapter(file);
    }

    /**
     * Readiness of a role that serves admission: the role's own check, and the admission listener
     * open and accepting (a controller whose webhook stopped serving is not ready, whatever its caches).
     */
    private ReadinessCheck servedReadiness(Wiring wiring) {
        if (wiring.admission() == null) {
            return wiring.readiness();
        }
        return () -> {
            Channel admission = admissionChannel;
            if (admission == null || !admission.isActive() || admission.eventLoop().isShuttingDown()) {
                return ReadinessCheck.Result.failing("the admission webhook is not serving");
            }
            return wiring.readiness().check();
        };
    }

    /** Tests: the admission listener closes, as when its event loop died. */
    void closeAdmissionListenerForTest() throws InterruptedException {
        Channel a = admissionChannel;
        if (a != null) {
            a.close().sync();
        }
    }

    private void bind(WebhookConfig config, Wiring wiring) throws InterruptedException {
        WebhookConfig.Limits limits = config.limits();
        AdmissionReviewCodec codec = new AdmissionReviewCodec();
        counters = new WebhookMetrics();
        // the server's own families first, then the role's
        MetricSources sources = new MetricSources();
        sources.add(counters);
        sources.add(wiring.sources()::collect);
        PrometheusScrape scrape = new PrometheusScrape(wiring.metrics(), sources);
        Map<Integer, Set<HttpRoutes.Route>> listeners = new LinkedHashMap<>();
        List<Integer> ephemeral = new ArrayList<>();
        addRoute(listeners, ephemeral, config.admissionPort(), HttpRoutes.Route.ADMISSION);
        addRoute(listeners, ephemeral, config.metricsPort(), HttpRoutes.Route.METRICS);
        addRoute(listeners, ephemeral, config.healthPort(), HttpRoutes.Route.HEALTH);
        for (Map.Entry<Integer, Set<HttpRoutes.Route>> l : listeners.entrySet()) {
            Set<HttpRoutes.Route> routes = l.getValue();
            boolean tls = routes.contains(HttpRoutes.Route.ADMISSION);
            String name = String.join("_", routes.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).toList());
            BoundedWorkers answering = tls
                    ? new BoundedWorkers("webhook-admission", limits.admissionWorkers(), limits.admissionQueue(),
                            limits.admissionMaxQueueWait(), nanoClock)
                    // one request per connection: a queue as long as the connection cap never refuses
                    : new BoundedWorkers("http-" + name, routes.size(), limits.opsMaxConnections(), null,
                            System::nanoTime);
            workers.add(answering);
            ConnectionLimiter limiter = new ConnectionLimiter(name,
                    tls ? limits.admissionMaxConnections() : limits.opsMaxConnections(), counters);
            counters.gauge(WebhookMetrics.OPEN, limiter::open, "listener", name);
            if (tls) {
                counters.gauge(WebhookMetrics.QUEUE, answering::queued);
                counters.gauge(WebhookMetrics.IN_FLIGHT, answering::inFlight);
            }
            HttpRoutes handler = new HttpRoutes(routes, wiring.admission(), codec, scrape, wiring.liveness(),
                    servedReadiness(wiring), counters, answering);
            int port = l.getKey() < 0 ? 0 : l.getKey();
            Channel ch = new ServerBootstrap().group(tls ? admissionGroup() : opsGroup()).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .childOption(ChannelOption.AUTO_READ, false) // HttpRoutes reads one request at a time
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            connections.add(c);
                            ChannelPipeline p = c.pipeline();
                            p.addLast("limit", limiter);
                            if (tls) {
                                SslHandler ssl = certificates.current().newHandler(c.alloc());
                                ssl.setHandshakeTimeoutMillis(limits.requestTimeout().toMillis());
                                p.addLast("tls", ssl);
                            }
                            p.addLast("write-timeout", new WriteTimeoutHandler(limits.writeTimeout().toMillis(),
                                    TimeUnit.MILLISECONDS));
                            p.addLast("deadline", new RequestDeadlineHandler(limits.readTimeout(), limits.requestTimeout(),
                                    counters));
                            p.addLast("http", new HttpServerCodec(4096, 16384, 8192));
                            p.addLast("aggregate", new CountingAggregator(limits.maxBodyBytes(), counters));
                            p.addLast("one-at-a-time", new FlowControlHandler());
                            p.addLast("routes", handler);
                        }
                    })
                    .bind(new InetSocketAddress(config.bindAddress(), port)).sync().channel();
            channels.add(ch);
            int bound = ((InetSocketAddress) ch.localAddress()).getPort();
            if (routes.contains(HttpRoutes.Route.ADMISSION)) {
                admissionPort = bound;
                admissionChannel = ch;
            }
            if (routes.contains(HttpRoutes.Route.METRICS)) {
                metricsPort = bound;
            }
            if (routes.contains(HttpRoutes.Route.HEALTH)) {
                healthPort = bound;
            }
            LOG.info("listening port={} routes={} tls={}", bound, routes, tls);
        }
        if (certificates != null) {
            long every = Math.max(1, certificates.checkInterval().toMillis());
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "webhook-certificates");
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleWithFixedDelay(certificates::refresh, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private EventLoopGroup admissionGroup() {
        if (admissionGroup == null) {
            // two: TLS handshakes and record encryption are the CPU-bound part
            admissionGroup = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("webhook-admission-io", true),
                    NioIoHandler.newFactory());
        }
        return admissionGroup;
    }

    private EventLoopGroup opsGroup() {
        if (opsGroup == null) {
            opsGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("http-ops-io", true),
                    NioIoHandler.newFactory());
        }
        return opsGroup;
    }

    private static void addRoute(Map<Integer, Set<HttpRoutes.Route>> listeners, List<Integer> ephemeral, int port,
                                 HttpRoutes.Route route) {
        if (port == 0) {
            return;
        }
        // each ephemeral listener gets its own key (-1, -2, ...) so they never share
        int key = port == WebhookConfig.EPHEMERAL ? -(ephemeral.size() + 1) : port;
        if (port == WebhookConfig.EPHEMERAL) {
            ephemeral.add(key);
        }
        listeners.computeIfAbsent(key, k -> EnumSet.noneOf(HttpRoutes.Route.class)).add(route);
    }

    /** The bound admission port, 0 when disabled. */
    public int admissionPort() {
        return admissionPort;
    }

    public int metricsPort() {
        return metricsPort;
    }

    public int healthPort() {
        return healthPort;
    }

    /** The CA bundle (PEM) the API server must trust for admission; empty when there is none. */
    public String caBundlePem() {
        return certificates == null ? "" : certificates.caBundlePem();
    }

    /** Stops accepting, lets in-flight answers finish (briefly), releases threads. Idempotent. */
    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        for (Channel c : channels) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        channels.clear();
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (EventLoopGroup g : new EventLoopGroup[] {admissionGroup, opsGroup}) {
            if (g != null) {
                g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        workers.forEach(BoundedWorkers::close);
        workers.clear();
        if (counters != null) {
            counters.removeGauges();
        }
    }

    /** Counts 413s; the refusal itself is Netty's (sent before the body is read, when Content-Length tells). */
    private static final class CountingAggregator extends HttpObjectAggregator {
        private final WebhookMetrics counters;

        CountingAggregator(int max, WebhookMetrics counters) {
            super(max);
            this.counters = counters;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            counters.tooLarge();
            LOG.info("refused oversized request remote={} limit={}", ctx.channel().remoteAddress(), maxContentLength());
            super.handleOversizedMessage(ctx, oversized);
        }
    }
}
