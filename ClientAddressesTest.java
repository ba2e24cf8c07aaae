package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    private final ClientAddresses addresses = new ClientAddresses(List.of(Cidr.parse("127.0.0.1"), Cidr.parse("10.0.0.0/8")));

    @Test
    void anUntrustedPeerIsTheClientWhateverItClaims() {
        assertThat(addresses.clientIp("198.51.100.9", null, "1.2.3.4")).isEqualTo("198.51.100.9");
    }

    @Test
    void behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
        assertThat(addresses.clientIp("127.0.0.1", null, "6.6.6.6, 203.0.113.5, 10.0.0.3")).isEqualTo("203.0.113.5");
    }

    @Test
    void whenEveryHopIsTrustedTheLeftMostIsTheClient() {
        assertThat(addresses.clientIp("127.0.0.1", null, "10.0.0.9, 10.0.0.3")).isEqualTo("10.0.0.9");
    }

    @Test
    void forwardedWinsOverXForwardedForAndPortsAndQuotesAreStripped() {
        assertThat(addresses.clientIp("127.0.0.1", "for=\"[2001:db8::7]:4711\";proto=https, for=10.0.0.2",
                "9.9.9.9")).isEqualTo("2001:db8::7");
        assertThat(addresses.clientIp("127.0.0.1", "for=192.0.2.60:1234", null)).isEqualTo("192.0.2.60");
    }

    @Test
    void anUnknownHopStopsTheWalk() {
        assertThat(addresses.clientIp("127.0.0.1", "for=unknown, for=10.0.0.2", null)).isEqualTo("10.0.0.2");
    }

    @Test
    void noHeadersLeavesThePeer() {
        assertThat(addresses.clientIp("127.0.0.1", null, null)).isEqualTo("127.0.0.1");
    }
}
