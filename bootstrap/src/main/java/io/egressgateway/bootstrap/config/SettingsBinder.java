package io.egressgateway.bootstrap.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.egressgateway.adapters.webhook.WebhookConfig;
import io.egressgateway.application.config.Settings;
import io.egressgateway.domain.datapath.Marks;
import io.egressgateway.domain.model.ForwardMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Reads every key with its expected type and collects all problems before failing. */
final class SettingsBinder {
    private static final Pattern CIDR = Pattern.compile("^[0-9a-fA-F:.]+/\\d{1,3}$");
    private static final Pattern IFNAME = Pattern.compile("^[A-Za-z0-9_.\\-]{1,15}$");

    private final Config config;
    private final List<String> problems = new ArrayList<>();

    private SettingsBinder(Config config) {
        this.config = config;
    }

    static Settings bind(Config config) {
        SettingsBinder b = new SettingsBinder(config);
        Settings settings = b.settings();
        if (!b.problems.isEmpty()) {
            throw new SettingsException("invalid configuration:\n  " + String.join("\n  ", b.problems));
        }
        return settings;
    }

    static WebhookSettings bindWebhook(Config config) {
        SettingsBinder b = new SettingsBinder(config);
        WebhookSettings w = new WebhookSettings(
                b.get("webhook.service", "a Service name", s -> nonBlank(config.getString(s))),
                b.path("webhook.certFile"), b.path("webhook.keyFile"), b.path("webhook.caFile"),
                b.path("webhook.caBundleFile"),
                b.get("webhook.controllerUser", "a user name", s -> nonBlank(config.getString(s))));
        if (w.certFile().isPresent() != w.keyFile().isPresent()) {
            b.problems.add("webhook.certFile and webhook.keyFile: give both or neither");
        }
        if (!b.problems.isEmpty()) {
            throw new SettingsException("invalid configuration:\n  " + String.join("\n  ", b.problems));
        }
        return w;
    }

    /** The HTTP server's limits, both roles (docs/webhook.md, "Limits"). */
    static WebhookConfig.Limits bindHttp(Config config) {
        SettingsBinder b = new SettingsBinder(config);
        Long body = b.get("http.maxBodyBytes", "a size from 1KiB to 64MiB such as 3MiB", s -> {
            long v = config.getBytes(s);
            if (v < 1024 || v > 64L * 1024 * 1024) {
                throw new IllegalArgumentException();
            }
            return v;
        });
        Duration read = b.duration("http.readTimeout");
        Duration request = b.duration("http.requestTimeout");
        Duration write = b.duration("http.writeTimeout");
        int workers = b.intIn("http.admission.workers", 1, 256);
        int queue = b.intIn("http.admission.queue", 0, 100_000);
        Duration queueWait = b.duration("http.admission.maxQueueWait");
        int admissionConnections = b.intIn("http.admission.maxConnections", 1, 100_000);
        int opsConnections = b.intIn("http.opsMaxConnections", 1, 10_000);
        if (!b.problems.isEmpty()) {
            throw new SettingsException("invalid configuration:\n  " + String.join("\n  ", b.problems));
        }
        return new WebhookConfig.Limits(body.intValue(), read, request, write, workers, queue, queueWait,
                admissionConnections, opsConnections);
    }

    private java.util.Optional<java.nio.file.Path> path(String key) {
        String v = get(key, "a file path or \"\"", config::getString);
        return v == null || v.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(java.nio.file.Path.of(v));
    }

    private Settings settings() {
        return new Settings(
                get("forwardMethod", "active-passive or active-active", s -> ForwardMethod.parse(config.getString(s))),
                bool("enableIPv4"),
                bool("enableIPv6"),
                get("namespace", "a Kubernetes namespace name", s -> nonBlank(config.getString(s))),
                new Settings.Tunnel(cidr("tunnel.ipv4CIDR"), cidr("tunnel.ipv6CIDR"),
                        ifname("tunnel.vxlan.v4Name"), ifname("tunnel.vxlan.v6Name"),
                        intIn("tunnel.vxlan.vni", 1, 16_777_215), intIn("tunnel.vxlan.port", 1, 65_535),
                        get("tunnel.parentInterface", "auto or an interface name",
                                s -> ifnameValue(config.getString(s)))),
                new Settings.Mark(mark("mark.base"), mark("mark.mask"), mark("mark.reservedMask"),
                        intIn("mark.rulePriority", 1, 32_765)),
                new Settings.Iptables(get("iptables.backend", "auto, legacy or nft",
                        s -> Settings.IptablesBackend.valueOf(config.getString(s).toUpperCase(Locale.ROOT))),
                        get("iptables.chainInsertMode", "Insert or Append",
                                s -> Settings.ChainInsertMode.valueOf(config.getString(s).toUpperCase(Locale.ROOT)))),
                new Settings.Heartbeat(duration("heartbeat.interval"), duration("heartbeat.gatewayInterval"),
                        duration("heartbeat.evictionTimeout"), bool("heartbeat.fence")),
                new Settings.Cluster(cidrs("cluster.podCIDRs"), cidrs("cluster.serviceCIDRs"), cidrs("cluster.extraCIDRs"),
                        addresses("cluster.protectedIPs"), intIn("cluster.minEipPoolPrefixV4", 0, 32),
                        intIn("cluster.minEipPoolPrefixV6", 0, 128)),
                new Settings.Agent(duration("agent.coalesceInterval"), duration("agent.resyncInterval"),
                        intIn("agent.witnessPort", 0, 65_535)),
                bool("failClosed"),
                intIn("maxEndpointsPerSlice", 1, 10_000),
                new Settings.Ports(intIn("ports.webhook", 0, 65_535), intIn("ports.metrics", 0, 65_535),
                        intIn("ports.health", 0, 65_535)));
    }

    private <T> T get(String key, String expected, Function<String, T> read) {
        try {
            return read.apply(key);
        } catch (ConfigException.Missing e) {
            problems.add(key + ": missing; expected " + expected);
        } catch (ConfigException | IllegalArgumentException e) {
            String value = config.hasPath(key) ? config.getValue(key).render() : "(none)";
            String origin = config.hasPath(key) ? " (from " + config.getValue(key).origin().description() + ")" : "";
            problems.add(key + " = " + value + origin + ": expected " + expected);
        }
        return null;
    }

    private boolean bool(String key) {
        Boolean b = get(key, "true or false", config::getBoolean);
        return b != null && b;
    }

    private int intIn(String key, int min, int max) {
        Integer v = get(key, "a whole number from " + min + " to " + max, s -> {
            int i = config.getInt(s);
            if (i < min || i > max) {
                throw new IllegalArgumentException();
            }
            return i;
        });
        return v == null ? 0 : v;
    }

    private Duration duration(String key) {
        return get(key, "a positive duration such as 500ms or 10s", s -> {
            Duration d = config.getDuration(s);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException();
            }
            return d;
        });
    }

    private long mark(String key) {
        Long v = get(key, "an unsigned 32-bit value such as 0x26000000", s -> Marks.parse(config.getString(s)));
        return v == null ? 0 : v;
    }

    private String cidr(String key) {
        return get(key, "a CIDR such as 172.31.0.0/16", s -> cidrValue(config.getString(s)));
    }

    private List<String> cidrs(String key) {
        return get(key, "a list of CIDRs such as [\"10.244.0.0/16\"]",
                s -> config.getStringList(s).stream().map(SettingsBinder::cidrValue).toList());
    }

    private List<String> addresses(String key) {
        return get(key, "a list of IP addresses such as [\"192.0.2.1\"]", s -> config.getStringList(s).stream()
                .map(a -> io.egressgateway.domain.net.IpAddress.parse(a.trim()).orElseThrow().text()).toList());
    }

    private String ifname(String key) {
        return get(key, "an interface name of 1 to 15 characters", s -> ifnameValue(config.getString(s)));
    }

    private static String cidrValue(String s) {
        if (!CIDR.matcher(s.trim()).matches()) {
            throw new IllegalArgumentException(s);
        }
        return s.trim();
    }

    private static String ifnameValue(String s) {
        if (!IFNAME.matcher(s).matches()) {
            throw new IllegalArgumentException(s);
        }
        return s;
    }

    private static String nonBlank(String s) {
        if (s.isBlank()) {
            throw new IllegalArgumentException(s);
        }
        return s;
    }
}
