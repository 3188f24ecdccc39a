package io.egressgateway.adapters.linux.iptables;

import io.egressgateway.adapters.linux.sys.ProcessRunner;
import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iptables binaries of one backend (legacy or nft). Rules of both backends filter packets, so
 * the agent must write where the node's other users (kube-proxy above all) write, or its jumps
 * would not sit "near the top" of what they see: {@link #detect} looks at both and takes the one with
 * kube-proxy's chains, else the one with more rules, else the backend of the plain {@code iptables}.
 * Must run on the namespace thread (it starts child processes).
 */
public record IptablesTool(IptablesBackend backend) {
    private static final Logger LOG = LoggerFactory.getLogger(IptablesTool.class);

    public IptablesTool {
        if (backend == IptablesBackend.AUTO) {
            throw new IllegalArgumentException("resolve AUTO with IptablesTool.detect() first");
        }
    }

    public static IptablesTool resolve(IptablesBackend wanted) {
        return wanted == IptablesBackend.AUTO ? detect() : new IptablesTool(wanted);
    }

    public static IptablesTool detect() {
        int legacy = score(IptablesBackend.LEGACY);
        int nft = score(IptablesBackend.NFT);
        IptablesBackend chosen;
        if (legacy != nft) {
            chosen = legacy > nft ? IptablesBackend.LEGACY : IptablesBackend.NFT;
        } else {
            chosen = defaultBackend();
        }
        LOG.info("iptables backend={} (score legacy={} nft={}; kube-proxy chains weigh most)", chosen, legacy, nft);
        return new IptablesTool(chosen);
    }

    public String save(Family family) {
        return binary(family, "save");
    }

    public String restore(Family family) {
        return binary(family, "restore");
    }

    /** argv for {@code iptables-restore --noflush}, waiting for the xtables lock. */
    public List<String> restoreArgv(Family family) {
        List<String> argv = new ArrayList<>();
        argv.add(restore(family));
        argv.add("--noflush");
        argv.add("-w");
        argv.add("10");
        return argv;
    }

    private String binary(Family family, String verb) {
        String base = (family == Family.IPV4 ? "iptables" : "ip6tables");
        String specific = base + "-" + (backend == IptablesBackend.LEGACY ? "legacy" : "nft") + "-" + verb;
        Optional<java.nio.file.Path> p = ProcessRunner.find(specific);
        if (p.isPresent()) {
            return p.get().toString();
        }
        return ProcessRunner.locate(specific).toString();
    }

    private static int score(IptablesBackend b) {
        String tool = "iptables-" + (b == IptablesBackend.LEGACY ? "legacy" : "nft") + "-save";
        if (ProcessRunner.find(tool).isEmpty()) {
            return -1;
        }
        ProcessRunner.Result r = ProcessRunner.run(List.of(ProcessRunner.locate(tool).toString()), null);
        if (!r.ok()) {
            return -1;
        }
        IptablesSave s = IptablesSave.parse(r.stdout());
        return (s.hasKubeProxy() ? 1_000_000 : 0) + s.ruleCount();
    }

    private static IptablesBackend defaultBackend() {
        Optional<java.nio.file.Path> plain = ProcessRunner.find("iptables");
        if (plain.isEmpty()) {
            ProcessRunner.locate("iptables-nft-save");
            return IptablesBackend.NFT;
        }
        ProcessRunner.Result r = ProcessRunner.run(List.of(plain.get().toString(), "--version"), null);
        return r.stdout().contains("legacy") ? IptablesBackend.LEGACY : IptablesBackend.NFT;
    }
}
