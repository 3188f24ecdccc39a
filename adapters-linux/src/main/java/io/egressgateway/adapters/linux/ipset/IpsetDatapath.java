package io.egressgateway.adapters.linux.ipset;

import io.egressgateway.adapters.linux.netlink.InetText;
import io.egressgateway.adapters.linux.netlink.IpsetCodec;
import io.egressgateway.adapters.linux.netlink.NetlinkException;
import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.sys.ProcessRunner;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owned ipsets, read by a netlink dump (IPSET_CMD_LIST, {@link IpsetCodec}; {@code ipset save} only
 * where the kernel refuses the dump) and changed by one {@code ipset -exist restore} per change set.
 * A member change is one {@code add} or {@code del}, never a rewrite of the set. Call on the
 * namespace thread (sets are per network namespace).
 */
public final class IpsetDatapath implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IpsetDatapath.class);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private NetlinkSocket socket;
    private boolean netlinkRefused;

    public List<IpSet> observe(String prefix) {
        if (!netlinkRefused) {
            try {
                return observeByNetlink(prefix);
            } catch (NetlinkException e) {
                netlinkRefused = true;
                LOG.warn("ipsets cannot be dumped by netlink here ({}); reading them with ipset save from now on",
                        e.getMessage());
            }
        }
        return parse(ProcessRunner.check(List.of(binary(), "save"), null), prefix);
    }

    /** The sets named with {@code prefix}, read by netlink (no process, no text). */
    public List<IpSet> observeByNetlink(String prefix) {
        if (socket == null) {
            socket = NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER);
        }
        List<IpSet> out = new ArrayList<>();
        for (IpsetCodec.ListedSet s : IpsetCodec.parse(socket.dump(IpsetCodec.listAll(), "ipset list"), prefix)) {
            out.add(new IpSet(s.name(), s.family(), s.members()));
        }
        return out;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    /** Pure: the sets named with {@code prefix} in {@code ipset save} output, members normalised. */
    public static List<IpSet> parse(String saved, String prefix) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (String raw : saved.split("\n")) {
            String[] w = WHITESPACE.split(raw.strip());
            if (w.length < 2 || !w[1].startsWith(prefix)) {
                continue;
            }
            if (w[0].equals("create")) {
                Family f = Family.IPV4;
                for (int i = 2; i + 1 < w.length; i++) {
                    if (w[i].equals("family")) {
                        f = w[i + 1].equals("inet6") ? Family.IPV6 : Family.IPV4;
                    }
                }
                families.put(w[1], f);
                members.put(w[1], new ArrayList<>());
            } else if (w[0].equals("add") && w.length >= 3) {
                members.computeIfAbsent(w[1], k -> new ArrayList<>()).add(InetText.canonicalCidr(w[2]));
            }
        }
        List<IpSet> out = new ArrayList<>();
        families.forEach((name, f) -> out.add(new IpSet(name, f, members.get(name))));
        return out;
    }

    /** Applies set operations; returns the failed ones with the reason. */
    public Map<DatapathOp, String> apply(List<DatapathOp> ops) {
        Map<DatapathOp, String> failures = new LinkedHashMap<>();
        if (ops.isEmpty()) {
            return failures;
        }
        try {
            restore(ops);
        } catch (RuntimeException batch) {
            LOG.warn("ipset batch of {} operations failed, retrying one by one: {}", ops.size(), batch.getMessage());
            for (DatapathOp op : ops) {
                try {
                    restore(List.of(op));
                } catch (RuntimeException e) {
                    failures.put(op, e.getMessage());
                }
            }
        }
        return failures;
    }

    /** Pure: the restore text for the operations. */
    public static String build(List<DatapathOp> ops) {
        StringBuilder sb = new StringBuilder();
        for (DatapathOp op : ops) {
            IpSet want = (IpSet) op.object();
            switch (op.action()) {
                case ADD -> {
                    create(sb, want);
                    want.members().forEach(m -> sb.append("add ").append(want.name()).append(' ').append(member(m)).append('\n'));
                }
                case REPLACE -> {
                    IpSet had = (IpSet) op.previous();
                    create(sb, want);
                    Set<String> old = new TreeSet<>(had.members());
                    Set<String> now = new TreeSet<>(want.members());
                    for (String m : old) {
                        if (!now.contains(m)) {
                            sb.append("del ").append(want.name()).append(' ').append(member(m)).append('\n');
                        }
                    }
                    for (String m : now) {
                        if (!old.contains(m)) {
                            sb.append("add ").append(want.name()).append(' ').append(member(m)).append('\n');
                        }
                    }
                }
                case DELETE -> sb.append("flush ").append(want.name()).append('\n')
                        .append("destroy ").append(want.name()).append('\n');
                default -> throw new IllegalStateException();
            }
        }
        return sb.toString();
    }

    private void restore(List<DatapathOp> ops) {
        String text = build(ops);
        if (!text.isEmpty()) {
            ProcessRunner.check(List.of(binary(), "-exist", "restore"), text);
        }
    }

    private static void create(StringBuilder sb, IpSet s) {
        if (s.name().length() > 31) {
            throw new IllegalArgumentException("ipset name " + s.name() + " is longer than 31 characters");
        }
        sb.append("create ").append(s.name()).append(" hash:net family ")
                .append(s.family() == Family.IPV4 ? "inet" : "inet6").append('\n');
    }

    /** The member as ipset takes it; /0 is not a valid hash:net member (the planner splits it). */
    private static String member(String cidr) {
        InetText.Cidr c = InetText.cidr(cidr);
        if (c.prefix() == 0) {
            throw new IllegalArgumentException("ipset member " + cidr + " has prefix 0, which hash:net rejects: "
                    + "split it into two /1");
        }
        return c.toString();
    }

    private static String binary() {
        return ProcessRunner.locate("ipset").toString();
    }
}
