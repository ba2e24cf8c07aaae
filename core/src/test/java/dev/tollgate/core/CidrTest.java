package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void anIpv4BlockContainsItsAddressesOnly() {
        Cidr block = Cidr.parse("10.1.0.0/16");
        assertThat(block.contains("10.1.255.7")).isTrue();
        assertThat(block.contains("10.2.0.1")).isFalse();
        assertThat(block.contains("::ffff:10.1.2.3")).as("IPv4-mapped IPv6").isTrue();
    }

    @Test
    void aPlainAddressIsABlockOfOne() {
        Cidr one = Cidr.parse("203.0.113.5");
        assertThat(one.contains("203.0.113.5")).isTrue();
        assertThat(one.contains("203.0.113.6")).isFalse();
    }

    @Test
    void ipv6BlocksWork() {
        Cidr block = Cidr.parse("2001:db8::/32");
        assertThat(block.contains("2001:db8:1::1")).isTrue();
        assertThat(block.contains("2001:db9::1")).isFalse();
        assertThat(block.contains("10.0.0.1")).isFalse();
        assertThat(Cidr.parse("::1").contains("0:0:0:0:0:0:0:1")).isTrue();
    }

    @Test
    void hostNamesAndGarbageAreNeitherParsedNorResolved() {
        assertThat(Cidr.looksLikeCidr("localhost")).isFalse();
        assertThat(Cidr.looksLikeCidr("user:42")).isFalse();
        assertThat(Cidr.looksLikeCidr("999.1.1.1")).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains("example.com")).isFalse();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length outside 0..32");
        assertThatThrownBy(() -> Cidr.parse("ten/8")).hasMessageContaining("is not an IP address or CIDR block");
    }
}
