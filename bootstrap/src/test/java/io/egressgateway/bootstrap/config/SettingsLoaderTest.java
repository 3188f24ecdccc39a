package io.egressgateway.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.adapters.webhook.WebhookConfig;
import io.egressgateway.application.config.Settings;
import io.egressgateway.domain.model.ForwardMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
    @Test
    void defaultsAreTheOnesTheSpecNames() {
        Settings s = SettingsLoader.load(Optional.empty(), Map.of());
        assertThat(s.forwardMethod()).isEqualTo(ForwardMethod.ACTIVE_PASSIVE);
        assertThat(s.enableIPv4()).isTrue();
        assertThat(s.enableIPv6()).isFalse();
        assertThat(s.tunnel()).isEqualTo(new Settings.Tunnel("172.31.0.0/16", "fd11::/112", "egress-vxlan-v4",
                "egress-vxlan-v6", 100, 7789, "auto"));
        assertThat(s.mark()).isEqualTo(new Settings.Mark(0x26000000L, 0xff000000L, 0x0000dff0L, 99));
        assertThat(s.iptables().backend()).isEqualTo(Settings.IptablesBackend.AUTO);
        assertThat(s.iptables().chainInsertMode()).isEqualTo(Settings.ChainInsertMode.INSERT);
        assertThat(s.heartbeat()).isEqualTo(new Settings.Heartbeat(Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(5), true));
        assertThat(s.agent()).isEqualTo(new Settings.Agent(Duration.ofMillis(100), Duration.ofSeconds(60)));
        assertThat(s.failClosed()).isFalse();
        assertThat(s.maxEndpointsPerSlice()).isEqualTo(100);
    }

    @Test
    void aFileOverridesDefaultsAndTheEnvironmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("egw.conf");
        Files.writeString(conf, "forwardMethod = active-active\nheartbeat { evictionTimeout = 7s }\n"
                + "cluster.serviceCIDRs = [\"10.96.0.0/12\"]\n");
        Settings s = SettingsLoader.load(Optional.of(conf), Map.of("EGW_HEARTBEAT_EVICTIONTIMEOUT", "3s",
                "EGW_CLUSTER_PODCIDRS", "10.244.0.0/16, fd00:10:244::/56", "PATH", "/usr/bin"));
        assertThat(s.forwardMethod()).isEqualTo(ForwardMethod.ACTIVE_ACTIVE);
        assertThat(s.heartbeat().evictionTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.cluster().serviceCIDRs()).containsExactly("10.96.0.0/12");
        assertThat(s.cluster().podCIDRs()).containsExactly("10.244.0.0/16", "fd00:10:244::/56");
    }

    @Test
    void marksAboveTwoToTheThirtyFirstAreUnsigned() {
        Settings s = SettingsLoader.load(Optional.empty(), Map.of("EGW_MARK_BASE", "0x80000000"));
        assertThat(s.mark().base()).isEqualTo(0x80000000L);
    }

    @Test
    void everyProblemIsReportedWithKeyValueAndExpectation(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "forwardMethod = round-robin\ntunnel.vxlan.port = 70000\nmark.base = \"0x1ffffffff\"\n");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.of(conf), Map.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("forwardMethod = \"round-robin\"").hasMessageContaining("active-passive or active-active")
                .hasMessageContaining("tunnel.vxlan.port = 70000").hasMessageContaining("from 1 to 65535")
                .hasMessageContaining("mark.base").hasMessageContaining("unsigned 32-bit");
    }

    @Test
    void unknownKeysAndEnvironmentNamesAreRefused(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("typo.conf");
        Files.writeString(conf, "heartbeat.intervall = 3s\n");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.of(conf), Map.of()))
                .hasMessageContaining("heartbeat.intervall").hasMessageContaining("not a known setting");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("EGW_HEARTBEAT_INTERVALL", "3s")))
                .hasMessageContaining("EGW_HEARTBEAT_INTERVALL");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> SettingsLoader.load(Optional.of(Path.of("/nonexistent/egw.conf")), Map.of()))
                .hasMessageContaining("/nonexistent/egw.conf");
    }

    @Test
    void httpLimitsDefaultToWhatTheServerDocuments() {
        assertThat(SettingsLoader.loadAll(Optional.empty(), Map.of()).http()).isEqualTo(WebhookConfig.Limits.DEFAULTS);
    }

    @Test
    void httpLimitsAreOverriddenAndCheckedLikeEveryOtherKey() {
        WebhookConfig.Limits l = SettingsLoader.loadAll(Optional.empty(), Map.of("EGW_HTTP_ADMISSION_WORKERS", "8",
                "EGW_HTTP_MAXBODYBYTES", "1MiB", "EGW_HTTP_ADMISSION_MAXQUEUEWAIT", "500ms")).http();
        assertThat(l.admissionWorkers()).isEqualTo(8);
        assertThat(l.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(l.admissionMaxQueueWait()).isEqualTo(Duration.ofMillis(500));

        assertThatThrownBy(() -> SettingsLoader.loadAll(Optional.empty(), Map.of("EGW_HTTP_ADMISSION_WORKERS", "0",
                "EGW_HTTP_READTIMEOUT", "0s")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("http.admission.workers = \"0\"").hasMessageContaining("from 1 to 256")
                .hasMessageContaining("http.readTimeout");
    }
}
