package io.egressgateway.adapters.linux.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The few libc calls the adapter needs. size_t and ssize_t are mapped to Java long, which is right
 * on the LP64 Linux targets the agent runs on (x86_64, arm64).
 */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int AF_NETLINK = 16;
    int AF_PACKET = 17;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;
    int SOL_SOCKET = 1;
    int SO_RCVBUF = 8;
    int SO_SNDBUF = 7;
    int SOL_NETLINK = 270;
    int NETLINK_EXT_ACK = 11;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] addr, int len) throws LastErrorException;

    int setsockopt(int fd, int level, int option, int[] value, int len) throws LastErrorException;

    int setsockopt(int fd, int level, int option, byte[] value, int len) throws LastErrorException;

    long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen) throws LastErrorException;

    long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    /** Into native memory: JNA copies a byte[] argument whole both ways on every call. */
    long recv(int fd, com.sun.jna.Pointer buf, long len, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    String strerror(int errnum);

    /** "ENOENT (No such file or directory)"-style text for an errno. */
    static String describe(int errno) {
        return Errno.name(errno) + " (" + INSTANCE.strerror(errno) + ")";
    }
}
