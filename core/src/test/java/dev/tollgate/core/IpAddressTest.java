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
    void somethingElseIsNoAddress() {
        assertThat(IpAddress.canonical("example.com")).isEmpty();
        assertThat(IpAddress.canonical("1.2.3")).isEmpty();
        assertThat(IpAddress.canonical("256.1.1.1")).isEmpty();
        assertThat(IpAddress.canonicalOrSelf("unknown")).isEqualTo("unknown");
    }
}
