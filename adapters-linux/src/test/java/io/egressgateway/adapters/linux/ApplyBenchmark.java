package io.egressgateway.adapters.linux;

import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.NextHop;
import io.egressgateway.domain.datapath.Route;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Not a test: prints how long the initial apply, an observe and a one-endpoint change take for
 * {@code policies} policies and {@code endpoints} endpoints in a fresh namespace (run as root:
 * {@code java -cp ... io.egressgateway.adapters.linux.ApplyBenchmark 1000 10000}).
 */
public final class ApplyBenchmark {
    private ApplyBenchmark() {
    }

    public static void main(String[] args) {
        int policies = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int endpoints = args.length > 1 ? Integer.parseInt(args[1]) : 10000;
        try (Netns netns = new Netns()) {
            String ns = netns.add("bench");
            Netns.exec(ns, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p");
            Netns.exec(ns, "ip", "addr", "add", "192.0.2.11/24", "dev", "eth0");
            Netns.exec(ns, "ip", "link", "set", "eth0", "up");
            Datapath desired = datapath(policies, endpoints);
            try (LinuxDatapath dp = LinuxDatapath.open(Optional.of(ns), IptablesBackend.NFT)) {
                dp.observePort().observe(Fixtures.SCOPE);
                long t0 = System.nanoTime();
                Datapath before = dp.observePort().observe(Fixtures.SCOPE);
                long t1 = System.nanoTime();
                List<DatapathOp> ops = DatapathDiff.between(desired, before);
                var report = dp.applyPort().apply(ops);
                long t2 = System.nanoTime();
                Datapath after = dp.observePort().observe(Fixtures.SCOPE);
                long t3 = System.nanoTime();
                List<DatapathOp> again = DatapathDiff.between(desired, after);
                // steady: nothing changed since the last observe (the nft save is reused, sets dumped by netlink)
                long[] steady = new long[20];
                for (int i = 0; i < steady.length; i++) {
                    long a = System.nanoTime();
                    dp.observePort().observe(Fixtures.SCOPE);
                    steady[i] = (System.nanoTime() - a) / 1_000;
                }
                java.util.Arrays.sort(steady);
                System.out.printf("observe steady    %6.1f ms median, %.1f ms max of %d%n", steady[steady.length / 2] / 1e3,
                        steady[steady.length - 1] / 1e3, steady.length);
                io.egressgateway.adapters.linux.ipset.IpsetDatapath sets = new io.egressgateway.adapters.linux.ipset.IpsetDatapath();
                long[] nl = new long[10];
                long[] sv = new long[10];
                int listed = 0;
                int parsed = 0;
                for (int i = 0; i < nl.length; i++) {
                    long n0 = System.nanoTime();
                    listed = dp.executor().call(() -> sets.observeByNetlink("egress-").size());
                    long n1 = System.nanoTime();
                    parsed = dp.executor().call(() -> io.egressgateway.adapters.linux.ipset.IpsetDatapath.parse(
                            io.egressgateway.adapters.linux.sys.ProcessRunner.check(List.of("/usr/sbin/ipset", "save"), null),
                            "egress-").size());
                    nl[i] = (n1 - n0) / 1_000;
                    sv[i] = (System.nanoTime() - n1) / 1_000;
                }
                java.util.Arrays.sort(nl);
                java.util.Arrays.sort(sv);
                System.out.printf("ipsets by netlink %6.1f ms median of 10 (%d sets); by ipset save + parse %.1f ms (%d sets)%n",
                        nl[5] / 1e3, listed, sv[5] / 1e3, parsed);
                dp.executor().run(sets::close);
                for (String tool : List.of("/usr/sbin/iptables-nft-save", "/usr/sbin/ipset")) {
                    long a = System.nanoTime();
                    dp.executor().call(() -> io.egressgateway.adapters.linux.sys.ProcessRunner.check(
                            tool.endsWith("ipset") ? List.of(tool, "save") : List.of(tool), null));
                    System.out.printf("%s alone %d ms%n", tool, (System.nanoTime() - a) / 1_000_000);
                }
                IpSet first = desired.ofType(IpSet.class).get(0);
                List<String> more = new ArrayList<>(first.members());
                more.add("10.255.255.254/32");
                long t4 = System.nanoTime();
                dp.applyPort().apply(List.of(DatapathOp.replace(first, new IpSet(first.name(), first.family(), more))));
                long t5 = System.nanoTime();
                System.out.printf("policies=%d endpoints=%d objects=%d ops=%d failures=%d%n", policies, endpoints,
                        desired.objects().size(), ops.size(), report.failures().size());
                System.out.printf("observe empty     %6d ms%n", (t1 - t0) / 1_000_000);
                System.out.printf("initial apply     %6d ms%n", (t2 - t1) / 1_000_000);
                System.out.printf("observe full      %6d ms (diff after: %d ops)%n", (t3 - t2) / 1_000_000, again.size());
                System.out.printf("one endpoint more %6d ms%n", (t5 - t4) / 1_000_000);
                long t6 = System.nanoTime();
                dp.cleanup(Fixtures.SCOPE);
                long t7 = System.nanoTime();
                var second = dp.applyPort().apply(DatapathDiff.between(desired, dp.observePort().observe(Fixtures.SCOPE)));
                long t8 = System.nanoTime();
                System.out.printf("cleanup           %6d ms%n", (t7 - t6) / 1_000_000);
                System.out.printf("apply, warm JVM   %6d ms (incl. observe; failures=%d)%n", (t8 - t7) / 1_000_000,
                        second.failures().size());
            }
        }
    }

    static Datapath datapath(int policies, int endpoints) {
        List<DatapathObject> o = new ArrayList<>();
        o.add(new TunnelLink(Fixtures.TUN, Family.IPV4, 100, 7789, "eth0", "192.0.2.11", Fixtures.MAC1, 1450));
        List<IptablesRule> mark = new ArrayList<>();
        List<IptablesRule> snat = new ArrayList<>();
        for (int p = 0; p < policies; p++) {
            String src = "egress-src-v4-" + String.format("%016x", p);
            String dst = "egress-dst-v4-" + String.format("%016x", p);
            List<String> members = new ArrayList<>();
            for (int e = p; e < endpoints; e += policies) {
                members.add("10." + (e >> 16 & 255) + "." + (e >> 8 & 255) + "." + (e & 255) + "/32");
            }
            o.add(new IpSet(src, Family.IPV4, members));
            o.add(new IpSet(dst, Family.IPV4, List.of("203.0.113." + (p % 256) + "/32")));
            mark.add(IptablesRule.of("-m conntrack --ctdir ORIGINAL -m mark --mark 0x0/0xff000000 -m set --match-set "
                    + src + " src -m set --match-set " + dst + " dst -j MARK --set-xmark 0x26010000/0xffffffff"));
            snat.add(IptablesRule.of("-m conntrack --ctdir ORIGINAL -m set --match-set " + src + " src -m set --match-set "
                    + dst + " dst -j SNAT --to-source 192.0.2." + (200 + p % 10) + " --random-fully"));
        }
        o.add(new IptablesChain(Family.IPV4, "mangle", "EGRESSGATEWAY-MARK-REQUEST", mark));
        o.add(new IptablesChain(Family.IPV4, "nat", "EGRESSGATEWAY-SNAT-EIP", snat));
        o.add(Fixtures.jump("mangle", "PREROUTING", 1, "-j EGRESSGATEWAY-MARK-REQUEST"));
        o.add(Fixtures.jump("nat", "POSTROUTING", 1, "-j EGRESSGATEWAY-SNAT-EIP"));
        for (int n = 1; n <= 20; n++) {
            long m = 0x26000000L | ((long) n << 16);
            o.add(new Route(Family.IPV4, m, "0.0.0.0/0", Route.Type.UNICAST,
                    List.of(new NextHop("203.0.113." + n, Fixtures.TUN, true, 1))));
            o.add(new RouteRule(Family.IPV4, 99, m, 0xffffffffL, m));
        }
        return Datapath.of(o);
    }
}
