package io.egressgateway.adapters.linux.netlink;

import io.egressgateway.adapters.linux.sys.LibC;

/** The kernel refused a request; the message names the object, the errno and the kernel's own words. */
public final class NetlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public NetlinkException(String what, int errno, String kernelMessage) {
        super(what + ": " + LibC.describe(errno) + (kernelMessage == null || kernelMessage.isEmpty() ? ""
                : " - kernel says: " + kernelMessage));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
