package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.ClientAddresses.Header;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    private final List<Cidr> trusted = List.of(Cidr.parse("127.0.0.1"), Cidr.parse("10.0.0.0/8"));
    private final ClientAddresses xForwardedFor = new ClientAddresses(trusted, Header.X_FORWARDED_FOR);
    private final ClientAddresses forwarded = new ClientAddresses(trusted, Header.FORWARDED);
    private final ClientAddresses xRealIp = new ClientAddresses(trusted, Header.X_REAL_IP);

    @Test
    void anUntrustedPeerIsTheClientWhateverItClaims() {
        assertThat(xForwardedFor.clientIp("198.51.100.9", List.of("1.2.3.4"))).isEqualTo("198.51.100.9");
    }

    @Test
    void behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
        assertThat(xForwardedFor.clientIp("127.0.0.1", List.of("6.6.6.6, 203.0.113.5, 10.0.0.3")))
                .isEqualTo("203.0.113.5");
    }

    @Test
    void everyLineOfTheHeaderIsReadInOrder() {
        // the client's own line first, then the line its proxy added: the proxy's is the truth
        assertThat(xForwardedFor.clientIp("127.0.0.1", List.of("6.6.6.6", "203.0.113.5")))
                .isEqualTo("203.0.113.5");
        assertThat(xForwardedFor.clientIp("127.0.0.1", List.of("6.6.6.6", "203.0.113.5, 10.0.0.3")))
                .isEqualTo("203.0.113.5");
    }

    @Test
    void whenEveryHopIsTrustedTheLeftMostIsTheClient() {
        assertThat(xForwardedFor.clientIp("127.0.0.1", List.of("10.0.0.9, 10.0.0.3")))
                .isEqualTo("10.0.0.9");
    }

    @Test
    void forwardedIsReadWhenChosenWithPortsAndQuotesStripped() {
        assertThat(forwarded.clientIp("127.0.0.1", List.of("for=\"[2001:db8::7]:4711\";proto=https, for=10.0.0.2")))
                .isEqualTo("2001:db8::7");
        assertThat(forwarded.clientIp("127.0.0.1", List.of("for=192.0.2.60:1234")))
                .isEqualTo("192.0.2.60");
        assertThat(forwarded.clientIp("127.0.0.1", List.of("for=6.6.6.6", "for=192.0.2.60")))
                .isEqualTo("192.0.2.60");
    }

    @Test
    void xRealIpIsReadLikeAListWhenChosen() {
        assertThat(xRealIp.clientIp("127.0.0.1", List.of("203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThat(xRealIp.clientIp("127.0.0.1", List.of("6.6.6.6", "203.0.113.5")))
                .isEqualTo("203.0.113.5");
    }

    @Test
    void anUnknownHopStopsTheWalk() {
        assertThat(forwarded.clientIp("127.0.0.1", List.of("for=unknown, for=10.0.0.2")))
                .isEqualTo("10.0.0.2");
        assertThat(forwarded.clientIp("127.0.0.1", List.of("by=10.0.0.1, for=10.0.0.2")))
                .isEqualTo("10.0.0.2");
        assertThat(xForwardedFor.clientIp("127.0.0.1", List.of("6.6.6.6, not-an-address")))
                .isEqualTo("127.0.0.1");
    }

    @Test
    void addressesComeOutCanonical() {
        assertThat(xForwardedFor.clientIp("127.0.0.1", List.of("2001:DB8:0:0::0001")))
                .isEqualTo("2001:db8::1");
        assertThat(xForwardedFor.clientIp("127.0.0.1", List.of("::ffff:198.51.100.7")))
                .isEqualTo("198.51.100.7");
        assertThat(xForwardedFor.clientIp("0:0:0:0:0:0:0:1", List.of())).isEqualTo("::1");
        assertThat(xForwardedFor.clientIp("[2001:db8::1]", List.of())).isEqualTo("2001:db8::1");
    }

    @Test
    void aLeadingZeroIsNoAddressSoItCannotPassForAnother() {
        assertThat(IpAddress.canonical("010.0.0.1")).isEmpty();
        assertThat(xForwardedFor.clientIp("127.0.0.1", List.of("010.0.0.1"))).isEqualTo("127.0.0.1");
    }

    @Test
    void noHeadersLeavesThePeer() {
        assertThat(xForwardedFor.clientIp("127.0.0.1", List.of())).isEqualTo("127.0.0.1");
    }

    @Test
    void theHeaderIsChosenByItsConfigurationName() {
        assertThat(Header.named("X-Real-IP")).isEqualTo(Header.X_REAL_IP);
        assertThatThrownBy(() -> Header.named("x-client-ip"))
                .hasMessage(
                        "unknown client address header 'x-client-ip'; choose one of x-forwarded-for, forwarded, x-real-ip");
    }
}
