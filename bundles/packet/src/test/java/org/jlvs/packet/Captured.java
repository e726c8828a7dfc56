package org.jlvs.packet;

/**
 * Frames captured on a veth pair by src/test/capture/capture-frames.sh: 10.250.0.1 (02:00:0a:fa:00:01, veth va)
 * does ARP, a ping, a TCP exchange with 10.250.0.2:8080 (02:00:0a:fa:00:02, vb), a UDP echo to :9999, a UDP
 * datagram to the closed port 9998 (answered by the kernel's ICMP port unreachable) and a UDP datagram without
 * checksum (SO_NO_CHECK). tcpdump ran on vb, so both directions were seen. Twice: with TX checksum offload on
 * (TCP/UDP checksums are Linux's CHECKSUM_PARTIAL values) and off (complete checksums). The comments are
 * tcpdump -vv's reading of each frame. Regenerate with src/test/capture/to-java.py.
 */
final class Captured {
    private Captured() {}

    static final int ARP_REQUEST = 0;
    static final int ARP_REPLY = 1;
    static final int ECHO_REQUEST = 2;
    static final int ECHO_REPLY = 3;
    static final int TCP_SYN = 4;
    static final int TCP_SYN_ACK = 5;
    static final int TCP_ACK = 6;
    static final int TCP_DATA = 7;
    static final int TCP_DATA_ACKED = 8;
    static final int TCP_REPLY_DATA = 9;
    static final int TCP_REPLY_ACKED = 10;
    static final int TCP_FIN = 11;
    static final int TCP_FIN_REPLY = 12;
    static final int TCP_LAST_ACK = 13;
    static final int UDP = 14;
    static final int UDP_ECHO = 15;
    static final int UDP_CLOSED_PORT = 16;
    static final int ICMP_PORT_UNREACH = 17;
    static final int UDP_NO_CHECKSUM = 18;
    static final int UDP_NO_CHECKSUM_ECHO = 19;

    /** TX checksum offload on: TCP/UDP checksums partial. */
    static final String[] OFFLOAD_ON = {
        // ARP_REQUEST: ARP, Ethernet (len 6), IPv4 (len 4), Request who-has 10.250.0.2 tell 10.250.0.1, length 28
        "ffffffffffff02000afa00010806000108000604000102000afa00010afa00010000000000000afa0002",
        // ARP_REPLY: ARP, Ethernet (len 6), IPv4 (len 4), Reply 10.250.0.2 is-at 02:00:0a:fa:00:02, length 28
        "02000afa000102000afa00020806000108000604000202000afa00020afa000202000afa00010afa0001",
        // ECHO_REQUEST: IP (tos 0x0, ttl 64, id 11487, offset 0, flags [DF], proto ICMP (1), length 53) 10.250.0.1
        //     > 10.250.0.2: ICMP echo request, id 19020, seq 1, length 33
        "02000afa000202000afa00010800450000352cdf40004001f7f20afa00010afa0002080051ea4a4c00016a6c76732070"
            + "696e67207061796c6f61642030313233343536",
        // ECHO_REPLY: IP (tos 0x0, ttl 64, id 29566, offset 0, flags [none], proto ICMP (1), length 53) 10.250.0.2
        //     > 10.250.0.1: ICMP echo reply, id 19020, seq 1, length 33
        "02000afa000102000afa0002080045000035737e00004001f1530afa00020afa0001000059ea4a4c00016a6c76732070"
            + "696e67207061796c6f61642030313233343536",
        // TCP_SYN: IP (tos 0x0, ttl 64, id 55676, offset 0, flags [DF], proto TCP (6), length 60) 10.250.0.1.41554
        //     > 10.250.0.2.8080: Flags [S], cksum 0x1625 (incorrect -> 0x6534), seq 2118515577, win 64240, options
        //     [mss 1460,sackOK,TS val 2334133023 ecr 0,nop,wscale 10], length 0
        "02000afa000202000afa000108004500003cd97c400040064b490afa00010afa0002a2521f907e45fb7900000000a002"
            + "faf016250000020405b40402080a8b200b1f000000000103030a",
        // TCP_SYN_ACK: IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60) 10.250.0.2.8080
        //     > 10.250.0.1.41554: Flags [S.], cksum 0x1625 (incorrect -> 0x3488), seq 1162093743, ack 2118515578, win
        //     65160, options [mss 1460,sackOK,TS val 2255699100 ecr 2334133023,nop,wscale 10], length 0
        "02000afa000102000afa000208004500003c00004000400624c60afa00020afa00011f90a252454424af7e45fb7aa012"
            + "fe8816250000020405b40402080a86733c9c8b200b1f0103030a",
        // TCP_ACK: IP (tos 0x0, ttl 64, id 55677, offset 0, flags [DF], proto TCP (6), length 52) 10.250.0.1.41554
        //     > 10.250.0.2.8080: Flags [.], cksum 0x161d (incorrect -> 0x61a1), seq 1, ack 1, win 63, options
        //     [nop,nop,TS val 2334133023 ecr 2255699100], length 0
        "02000afa000202000afa0001080045000034d97d400040064b500afa00010afa0002a2521f907e45fb7a454424b08010"
            + "003f161d00000101080a8b200b1f86733c9c",
        // TCP_DATA: IP (tos 0x0, ttl 64, id 55678, offset 0, flags [DF], proto TCP (6), length 66)
        //     10.250.0.1.41554 > 10.250.0.2.8080: Flags [P.], cksum 0x162b (incorrect -> 0xae3f), seq 1:15, ack 1, win
        //     63, options [nop,nop,TS val 2334133023 ecr 2255699100], length 14: HTTP
        "02000afa000202000afa0001080045000042d97e400040064b410afa00010afa0002a2521f907e45fb7a454424b08018"
            + "003f162b00000101080a8b200b1f86733c9c68656c6c6f206a6c7673206f6e0a",
        // TCP_DATA_ACKED: IP (tos 0x0, ttl 64, id 57828, offset 0, flags [DF], proto TCP (6), length 52)
        //     10.250.0.2.8080 > 10.250.0.1.41554: Flags [.], cksum 0x161d (incorrect -> 0x6192), seq 1, ack 15, win
        //     64, options [nop,nop,TS val 2255699100 ecr 2334133023], length 0
        "02000afa000102000afa0002080045000034e1e44000400642e90afa00020afa00011f90a252454424b07e45fb888010"
            + "0040161d00000101080a86733c9c8b200b1f",
        // TCP_REPLY_DATA: IP (tos 0x0, ttl 64, id 57829, offset 0, flags [DF], proto TCP (6), length 62)
        //     10.250.0.2.8080 > 10.250.0.1.41554: Flags [P.], cksum 0x1627 (incorrect -> 0x82be), seq 1:11, ack 15,
        //     win 64, options [nop,nop,TS val 2255699100 ecr 2334133023], length 10: HTTP
        "02000afa000102000afa000208004500003ee1e54000400642de0afa00020afa00011f90a252454424b07e45fb888018"
            + "0040162700000101080a86733c9c8b200b1f706f6e67206a6c76730a",
        // TCP_REPLY_ACKED: IP (tos 0x0, ttl 64, id 55679, offset 0, flags [DF], proto TCP (6), length 52)
        //     10.250.0.1.41554 > 10.250.0.2.8080: Flags [.], cksum 0x161d (incorrect -> 0x6189), seq 15, ack 11, win
        //     63, options [nop,nop,TS val 2334133023 ecr 2255699100], length 0
        "02000afa000202000afa0001080045000034d97f400040064b4e0afa00010afa0002a2521f907e45fb88454424ba8010"
            + "003f161d00000101080a8b200b1f86733c9c",
        // TCP_FIN: IP (tos 0x0, ttl 64, id 55680, offset 0, flags [DF], proto TCP (6), length 52) 10.250.0.1.41554
        //     > 10.250.0.2.8080: Flags [F.], cksum 0x161d (incorrect -> 0x6188), seq 15, ack 11, win 63, options
        //     [nop,nop,TS val 2334133023 ecr 2255699100], length 0
        "02000afa000202000afa0001080045000034d980400040064b4d0afa00010afa0002a2521f907e45fb88454424ba8011"
            + "003f161d00000101080a8b200b1f86733c9c",
        // TCP_FIN_REPLY: IP (tos 0x0, ttl 64, id 57830, offset 0, flags [DF], proto TCP (6), length 52)
        //     10.250.0.2.8080 > 10.250.0.1.41554: Flags [F.], cksum 0x161d (incorrect -> 0x6186), seq 11, ack 16, win
        //     64, options [nop,nop,TS val 2255699100 ecr 2334133023], length 0
        "02000afa000102000afa0002080045000034e1e64000400642e70afa00020afa00011f90a252454424ba7e45fb898011"
            + "0040161d00000101080a86733c9c8b200b1f",
        // TCP_LAST_ACK: IP (tos 0x0, ttl 64, id 55681, offset 0, flags [DF], proto TCP (6), length 52)
        //     10.250.0.1.41554 > 10.250.0.2.8080: Flags [.], cksum 0x161d (incorrect -> 0x6187), seq 16, ack 12, win
        //     63, options [nop,nop,TS val 2334133023 ecr 2255699100], length 0
        "02000afa000202000afa0001080045000034d981400040064b4c0afa00010afa0002a2521f907e45fb89454424bb8010"
            + "003f161d00000101080a8b200b1f86733c9c",
        // UDP: IP (tos 0x0, ttl 64, id 11920, offset 0, flags [DF], proto UDP (17), length 45) 10.250.0.1.40000 >
        //     10.250.0.2.9999: [bad udp cksum 0x1621 -> 0xef53!] UDP, length 17
        "02000afa000202000afa000108004500002d2e9040004011f6390afa00010afa00029c40270f00191621756470206a6c"
            + "7673207061796c6f616421",
        // UDP_ECHO: IP (tos 0x0, ttl 64, id 30525, offset 0, flags [DF], proto UDP (17), length 50)
        //     10.250.0.2.9999 > 10.250.0.1.40000: [bad udp cksum 0x1626 -> 0xfc61!] UDP, length 22
        "02000afa000102000afa0002080045000032773d40004011ad870afa00020afa0001270f9c40001e16266563686f3a75"
            + "6470206a6c7673207061796c6f616421",
        // UDP_CLOSED_PORT: IP (tos 0x0, ttl 64, id 11921, offset 0, flags [DF], proto UDP (17), length 44)
        //     10.250.0.1.40000 > 10.250.0.2.9998: [bad udp cksum 0x1620 -> 0x4a6c!] UDP, length 16
        "02000afa000202000afa000108004500002c2e9140004011f6390afa00010afa00029c40270e00181620746f20612063"
            + "6c6f73656420706f7274",
        // ICMP_PORT_UNREACH: IP (tos 0xc0, ttl 64, id 29574, offset 0, flags [none], proto ICMP (1), length 72)
        //     10.250.0.2 > 10.250.0.1: ICMP 10.250.0.2 udp port 9998 unreachable, length 52 IP (tos 0x0, ttl 64, id
        //     11921, offset 0, flags [DF], proto UDP (17), length 44) 10.250.0.1.40000 > 10.250.0.2.9998: [bad udp
        //     cksum 0x1620 -> 0x4a6c!] UDP, length 16
        "02000afa000102000afa0002080045c00048738600004001f0780afa00020afa000103034769000000004500002c2e91"
            + "40004011f6390afa00010afa00029c40270e00181620746f206120636c6f73656420706f7274",
        // UDP_NO_CHECKSUM: IP (tos 0x0, ttl 64, id 11931, offset 0, flags [DF], proto UDP (17), length 39)
        //     10.250.0.1.40001 > 10.250.0.2.9999: [no cksum] UDP, length 11
        "02000afa000202000afa00010800450000272e9b40004011f6340afa00010afa00029c41270f001300006e6f20636865"
            + "636b73756d",
        // UDP_NO_CHECKSUM_ECHO: IP (tos 0x0, ttl 64, id 30542, offset 0, flags [DF], proto UDP (17), length 44)
        //     10.250.0.2.9999 > 10.250.0.1.40001: [bad udp cksum 0x1620 -> 0x0569!] UDP, length 16
        "02000afa000102000afa000208004500002c774e40004011ad7c0afa00020afa0001270f9c41001816206563686f3a6e"
            + "6f20636865636b73756d",
    };

    /** TX checksum offload off: all checksums complete. */
    static final String[] OFFLOAD_OFF = {
        // ARP_REQUEST: ARP, Ethernet (len 6), IPv4 (len 4), Request who-has 10.250.0.2 tell 10.250.0.1, length 28
        "ffffffffffff02000afa00010806000108000604000102000afa00010afa00010000000000000afa0002",
        // ARP_REPLY: ARP, Ethernet (len 6), IPv4 (len 4), Reply 10.250.0.2 is-at 02:00:0a:fa:00:02, length 28
        "02000afa000102000afa00020806000108000604000202000afa00020afa000202000afa00010afa0001",
        // ECHO_REQUEST: IP (tos 0x0, ttl 64, id 11827, offset 0, flags [DF], proto ICMP (1), length 53) 10.250.0.1
        //     > 10.250.0.2: ICMP echo request, id 19020, seq 1, length 33
        "02000afa000202000afa00010800450000352e3340004001f69e0afa00010afa0002080051ea4a4c00016a6c76732070"
            + "696e67207061796c6f61642030313233343536",
        // ECHO_REPLY: IP (tos 0x0, ttl 64, id 29716, offset 0, flags [none], proto ICMP (1), length 53) 10.250.0.2
        //     > 10.250.0.1: ICMP echo reply, id 19020, seq 1, length 33
        "02000afa000102000afa0002080045000035741400004001f0bd0afa00020afa0001000059ea4a4c00016a6c76732070"
            + "696e67207061796c6f61642030313233343536",
        // TCP_SYN: IP (tos 0x0, ttl 64, id 25627, offset 0, flags [DF], proto TCP (6), length 60) 10.250.0.1.35294
        //     > 10.250.0.2.8080: Flags [S], cksum 0xe888 (correct), seq 2138778298, win 64240, options [mss
        //     1460,sackOK,TS val 1737266012 ecr 0,nop,wscale 10], length 0
        "02000afa000202000afa000108004500003c641b40004006c0aa0afa00010afa000289de1f907f7b2aba00000000a002"
            + "faf0e8880000020405b40402080a678c935c000000000103030a",
        // TCP_SYN_ACK: IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60) 10.250.0.2.8080
        //     > 10.250.0.1.35294: Flags [S.], cksum 0xd116 (correct), seq 694207191, ack 2138778299, win 65160,
        //     options [mss 1460,sackOK,TS val 3474741364 ecr 1737266012,nop,wscale 10], length 0
        "02000afa000102000afa000208004500003c00004000400624c60afa00020afa00011f9089de2960c2d77f7b2abba012"
            + "fe88d1160000020405b40402080acf1c5874678c935c0103030a",
        // TCP_ACK: IP (tos 0x0, ttl 64, id 25628, offset 0, flags [DF], proto TCP (6), length 52) 10.250.0.1.35294
        //     > 10.250.0.2.8080: Flags [.], cksum 0xfe2f (correct), seq 1, ack 1, win 63, options [nop,nop,TS val
        //     1737266012 ecr 3474741364], length 0
        "02000afa000202000afa0001080045000034641c40004006c0b10afa00010afa000289de1f907f7b2abb2960c2d88010"
            + "003ffe2f00000101080a678c935ccf1c5874",
        // TCP_DATA: IP (tos 0x0, ttl 64, id 25629, offset 0, flags [DF], proto TCP (6), length 67)
        //     10.250.0.1.35294 > 10.250.0.2.8080: Flags [P.], cksum 0x4871 (correct), seq 1:16, ack 1, win 63, options
        //     [nop,nop,TS val 1737266012 ecr 3474741364], length 15: HTTP
        "02000afa000202000afa0001080045000043641d40004006c0a10afa00010afa000289de1f907f7b2abb2960c2d88018"
            + "003f487100000101080a678c935ccf1c587468656c6c6f206a6c7673206f66660a",
        // TCP_DATA_ACKED: IP (tos 0x0, ttl 64, id 45204, offset 0, flags [DF], proto TCP (6), length 52)
        //     10.250.0.2.8080 > 10.250.0.1.35294: Flags [.], cksum 0xfe1f (correct), seq 1, ack 16, win 64, options
        //     [nop,nop,TS val 3474741364 ecr 1737266012], length 0
        "02000afa000102000afa0002080045000034b0944000400674390afa00020afa00011f9089de2960c2d87f7b2aca8010"
            + "0040fe1f00000101080acf1c5874678c935c",
        // TCP_REPLY_DATA: IP (tos 0x0, ttl 64, id 45205, offset 0, flags [DF], proto TCP (6), length 62)
        //     10.250.0.2.8080 > 10.250.0.1.35294: Flags [P.], cksum 0x1f4c (correct), seq 1:11, ack 16, win 64,
        //     options [nop,nop,TS val 3474741364 ecr 1737266012], length 10: HTTP
        "02000afa000102000afa000208004500003eb09540004006742e0afa00020afa00011f9089de2960c2d87f7b2aca8018"
            + "00401f4c00000101080acf1c5874678c935c706f6e67206a6c76730a",
        // TCP_REPLY_ACKED: IP (tos 0x0, ttl 64, id 25630, offset 0, flags [DF], proto TCP (6), length 52)
        //     10.250.0.1.35294 > 10.250.0.2.8080: Flags [.], cksum 0xfe16 (correct), seq 16, ack 11, win 63, options
        //     [nop,nop,TS val 1737266012 ecr 3474741364], length 0
        "02000afa000202000afa0001080045000034641e40004006c0af0afa00010afa000289de1f907f7b2aca2960c2e28010"
            + "003ffe1600000101080a678c935ccf1c5874",
        // TCP_FIN: IP (tos 0x0, ttl 64, id 25631, offset 0, flags [DF], proto TCP (6), length 52) 10.250.0.1.35294
        //     > 10.250.0.2.8080: Flags [F.], cksum 0xfe15 (correct), seq 16, ack 11, win 63, options [nop,nop,TS val
        //     1737266012 ecr 3474741364], length 0
        "02000afa000202000afa0001080045000034641f40004006c0ae0afa00010afa000289de1f907f7b2aca2960c2e28011"
            + "003ffe1500000101080a678c935ccf1c5874",
        // TCP_FIN_REPLY: IP (tos 0x0, ttl 64, id 45206, offset 0, flags [DF], proto TCP (6), length 52)
        //     10.250.0.2.8080 > 10.250.0.1.35294: Flags [F.], cksum 0xfe12 (correct), seq 11, ack 17, win 64, options
        //     [nop,nop,TS val 3474741365 ecr 1737266012], length 0
        "02000afa000102000afa0002080045000034b0964000400674370afa00020afa00011f9089de2960c2e27f7b2acb8011"
            + "0040fe1200000101080acf1c5875678c935c",
        // TCP_LAST_ACK: IP (tos 0x0, ttl 64, id 25632, offset 0, flags [DF], proto TCP (6), length 52)
        //     10.250.0.1.35294 > 10.250.0.2.8080: Flags [.], cksum 0xfe12 (correct), seq 17, ack 12, win 63, options
        //     [nop,nop,TS val 1737266013 ecr 3474741365], length 0
        "02000afa000202000afa0001080045000034642040004006c0ad0afa00010afa000289de1f907f7b2acb2960c2e38010"
            + "003ffe1200000101080a678c935dcf1c5875",
        // UDP: IP (tos 0x0, ttl 64, id 12379, offset 0, flags [DF], proto UDP (17), length 45) 10.250.0.1.40000 >
        //     10.250.0.2.9999: [udp sum ok] UDP, length 17
        "02000afa000202000afa000108004500002d305b40004011f46e0afa00010afa00029c40270f0019ef53756470206a6c"
            + "7673207061796c6f616421",
        // UDP_ECHO: IP (tos 0x0, ttl 64, id 30787, offset 0, flags [DF], proto UDP (17), length 50)
        //     10.250.0.2.9999 > 10.250.0.1.40000: [udp sum ok] UDP, length 22
        "02000afa000102000afa0002080045000032784340004011ac810afa00020afa0001270f9c40001efc616563686f3a75"
            + "6470206a6c7673207061796c6f616421",
        // UDP_CLOSED_PORT: IP (tos 0x0, ttl 64, id 12380, offset 0, flags [DF], proto UDP (17), length 44)
        //     10.250.0.1.40000 > 10.250.0.2.9998: [udp sum ok] UDP, length 16
        "02000afa000202000afa000108004500002c305c40004011f46e0afa00010afa00029c40270e00184a6c746f20612063"
            + "6c6f73656420706f7274",
        // ICMP_PORT_UNREACH: IP (tos 0xc0, ttl 64, id 29734, offset 0, flags [none], proto ICMP (1), length 72)
        //     10.250.0.2 > 10.250.0.1: ICMP 10.250.0.2 udp port 9998 unreachable, length 52 IP (tos 0x0, ttl 64, id
        //     12380, offset 0, flags [DF], proto UDP (17), length 44) 10.250.0.1.40000 > 10.250.0.2.9998: [udp sum ok]
        //     UDP, length 16
        "02000afa000102000afa0002080045c00048742600004001efd80afa00020afa00010303131d000000004500002c305c"
            + "40004011f46e0afa00010afa00029c40270e00184a6c746f206120636c6f73656420706f7274",
        // UDP_NO_CHECKSUM: IP (tos 0x0, ttl 64, id 12417, offset 0, flags [DF], proto UDP (17), length 39)
        //     10.250.0.1.40001 > 10.250.0.2.9999: [no cksum] UDP, length 11
        "02000afa000202000afa0001080045000027308140004011f44e0afa00010afa00029c41270f001300006e6f20636865"
            + "636b73756d",
        // UDP_NO_CHECKSUM_ECHO: IP (tos 0x0, ttl 64, id 30820, offset 0, flags [DF], proto UDP (17), length 44)
        //     10.250.0.2.9999 > 10.250.0.1.40001: [udp sum ok] UDP, length 16
        "02000afa000102000afa000208004500002c786440004011ac660afa00020afa0001270f9c41001805696563686f3a6e"
            + "6f20636865636b73756d",
    };

    /** The correct checksums tcpdump computed for the partial ones of OFFLOAD_ON (index, checksum). */
    static final int[][] TCPDUMP_CORRECT_CHECKSUMS = {
        {TCP_SYN, 0x6534},
        {TCP_SYN_ACK, 0x3488},
        {TCP_ACK, 0x61a1},
        {TCP_DATA, 0xae3f},
        {TCP_DATA_ACKED, 0x6192},
        {TCP_REPLY_DATA, 0x82be},
        {TCP_REPLY_ACKED, 0x6189},
        {TCP_FIN, 0x6188},
        {TCP_FIN_REPLY, 0x6186},
        {TCP_LAST_ACK, 0x6187},
        {UDP, 0xef53},
        {UDP_ECHO, 0xfc61},
        {UDP_CLOSED_PORT, 0x4a6c},
        {UDP_NO_CHECKSUM_ECHO, 0x0569},
    };

    static byte[] frame(String[] run, int index) {
        return hex(run[index]);
    }

    static byte[] hex(String text) {
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
