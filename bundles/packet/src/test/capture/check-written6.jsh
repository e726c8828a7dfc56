// Cross-check of what the IPv6 writers produce, by tshark's checksum validation (not part of the build: it needs
// tshark). From bundles/packet after `mvn test-compile`:
//   jshell --class-path target/classes:target/test-classes src/test/capture/check-written6.jsh
//   tshark -r written6.pcap -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
//       -T fields -e tcp.checksum.status -e udp.checksum.status -e icmpv6.checksum.status -e _ws.col.Info
// Every frame must show status 1 (good): NAs answering the captured NS and DAD, an unsolicited NA, the echo
// reply, a Packet Too Big, captured TCP/UDP frames after both addresses were rewritten, the completed partial one.
import org.jlvs.packet.*;
import java.io.*;
import java.util.*;
var outFile = new DataOutputStream(new FileOutputStream("written6.pcap"));
// little-endian pcap header
void le32(DataOutputStream o, int v) throws IOException { o.write(v); o.write(v >>> 8); o.write(v >>> 16); o.write(v >>> 24); }
void le16(DataOutputStream o, int v) throws IOException { o.write(v); o.write(v >>> 8); }
le32(outFile, 0xa1b2c3d4); le16(outFile, 2); le16(outFile, 4); le32(outFile, 0); le32(outFile, 0); le32(outFile, 65535); le32(outFile, 1);
void put(DataOutputStream o, byte[] f, int len) throws IOException { le32(o, 0); le32(o, 0); le32(o, len); le32(o, len); o.write(f, 0, len); }
byte[] hex(String s) { byte[] b = new byte[s.length() / 2]; for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16); return b; }
var fld = Class.forName("org.jlvs.packet.Captured6").getDeclaredField("FRAMES"); fld.setAccessible(true); String[] frames = (String[]) fld.get(null);
// (0) the answer to the captured NS (index 4) and to DAD (1), unsolicited NA
byte[] ns = hex(frames[4]); Ndp.toAdvertisementFrame(ns, 0, FrameCheck6.inspectIpv6(ns, 14, ns.length - 14), 0x020000000a02L, true); put(outFile, ns, 86);
byte[] dad = hex(frames[1]); Ndp.toAdvertisementFrame(dad, 0, FrameCheck6.inspectIpv6(dad, 14, dad.length - 14), 0x0200000000c1L, false); put(outFile, dad, 86);
byte[] un = new byte[86]; Ndp.writeUnsolicitedAdvertisementFrame(un, 0, 0x0200000000c1L, 0x20010db800000000L, 0x80L, false); put(outFile, un, 86);
// echo reply (6), packet too big about UDP_TOO_BIG (26), rewritten TCP/UDP frames
byte[] echo = hex(frames[6]); int n = Icmpv6.toEchoReply(echo, 14, FrameCheck6.inspectIpv6(echo, 14, echo.length - 14)); put(outFile, echo, 14 + n);
byte[] big = hex(frames[26]); byte[] ptb = new byte[1400]; System.arraycopy(big, 0, ptb, 0, 14);
n = Icmpv6.writePacketTooBig(big, 14, big.length - 14, ptb, 14, 1280, 0x20010db800000000L, 1L); put(outFile, ptb, 14 + n);
for (int i : new int[] {14, 15, 16, 17, 18, 22, 23, 30, 31}) {
  byte[] f = hex(frames[i]); long w = FrameCheck6.inspectIpv6(f, 14, f.length - 14);
  Checksums6.rewriteAddress(f, 14, w, Ipv6.DST_OFFSET, 0x20010db800000001L, 0x1234L);
  Checksums6.rewriteAddress(f, 14, w, Ipv6.SRC_OFFSET, 0xfd00000000000099L, 0xabcdL);
  put(outFile, f, f.length);
}
// the partial one completed (33)
byte[] p = hex(frames[33]); Checksums6.completeL4Checksum(p, 14, 54, 17); put(outFile, p, p.length);
outFile.close();
System.out.println("written");
/exit
