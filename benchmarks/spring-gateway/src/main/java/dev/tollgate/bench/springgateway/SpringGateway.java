package dev.tollgate.bench.springgateway;

import java.net.InetSocketAddress;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/**
 * Spring Cloud Gateway in front of the benchmark's upstream, every request through its
 * RequestRateLimiter filter with the Redis token bucket, keyed by client address as Tollgate's
 * {@code key: ip} and nginx's {@code $binary_remote_addr}. The route and the rate are in
 * application.yml; any of them can be overridden on the command line
 * ({@code --server.port=9005}).
 */
@SpringBootApplication
public class SpringGateway {

    public static void main(String[] args) {
        SpringApplication.run(SpringGateway.class, args);
    }

    @Bean
    KeyResolver clientAddress() {
        return exchange -> {
            InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
            return Mono.just(remote == null ? "unknown" : remote.getAddress().getHostAddress());
        };
    }
}
