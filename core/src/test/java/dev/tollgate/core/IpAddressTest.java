package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpAddressTest {

    @Test
    void ipv6IsWrittenAsRfc5952Says() {
        assertThat(IpAddress.canonical("2001:db8:0:0:0:0:0:1")).contains("2001:db8::1");
        assertThat(IpAddress.canonical("2001:0DB8::0:1")).contains("2001:db8::1");
        assertThat(IpAddress.canonical("2001:db8:0:0:1:0:0:1")).contains("2001:db8::1:0:0:1");
        assertThat(IpAddress.canonical("2001:db8:0:1:1:1:1:1")).contains("2001:db8:0:1:1:1:1:1");
        assertThat(IpAddress.canonical("0:0:0:0:0:0:0:0")).contains("::");
        assertThat(IpAddress.canonical("fe80::1%eth0")).contains("fe80::1");
        assertThat(IpAddress.canonical("1:0:0:2:0:0:0:3")).contains("1:0:0:2::3");
    }

    @Test
    void anIpv4MappedAddressIsItsIpv4Address() {
        assertThat(IpAddress.canonical("::ffff:1.2.3.4")).contains("1.2.3.4");
        assertThat(IpAddress.canonical("::ffff:0102:0304")).contains("1.2.3.4");
    }

    @Test
    void theQuickIpv4CheckAgreesWithTheParser() {
        java.util.Random random = new java.util.Random(7);
        String[] pieces = {
            "0", "00", "01", "1", "9", "10", "099", "127", "255", "256", "300", "1000", "", " ", "a", "-1"
        };
        int canonical = 0;
        for (int i = 0; i < 200_000; i++) {
            int parts = 2 + random.nextInt(4);
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < parts; p++) {
                if (p > 0) {
                    text.append(random.nextInt(20) == 0 ? ":" : ".");
                }
                text.append(random.nextBoolean() ? pieces[random.nextInt(pieces.length)] : random.nextInt(260));
            }
            String candidate = text.toString();
            String parsed = Cidr.literal(candidate)
                    .filter(bytes -> bytes.length == 4)
                    .map(IpAddress::format)
                    .orElse(null);
            boolean quick = IpAddress.isCanonicalIpv4(candidate);
            assertThat(quick).as(candidate).isEqualTo(candidate.equals(parsed));
            canonical += quick ? 1 : 0;
        }
        assertThat(canonical).isGreaterThan(1_000);
        assertThat(IpAddress.canonicalOrSelf("10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(IpAddress.canonical("10.0.0.1")).contains("10.0.0.1");
    }

    @Test
    void somethingElseIsNoAddress() {
        assertThat(IpAddress.canonical("example.com")).isEmpty();
        assertThat(IpAddress.canonical("1.2.3")).isEmpty();
        assertThat(IpAddress.canonical("256.1.1.1")).isEmpty();
        assertThat(IpAddress.canonicalOrSelf("unknown")).isEqualTo("unknown");
    }
}
