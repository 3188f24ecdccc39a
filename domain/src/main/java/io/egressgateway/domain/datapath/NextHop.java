package io.egressgateway.domain.datapath;

/** One next hop of a route; {@code weight} matters only in multipath routes (1 is the default). */
public record NextHop(String via, String device, boolean onlink, int weight) {
    public String render() {
        return (via == null ? "" : "via " + via + " ") + "dev " + device + (onlink ? " onlink" : "")
                + (weight > 1 ? " weight " + weight : "");
    }
}
