package dev.latchkey.webhook.service;

import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts deliveries per outcome and provider: {@code latchkey_webhook_rejections_total{reason, provider}} and
 * {@code latchkey_webhook_deliveries_total{outcome, provider}} on {@code /q/metrics}. {@code provider} is the
 * provider's name ({@code unknown} for deliveries to no provider): names, not ids, keep the series readable and
 * their number bounded by what operators configure. Counters are looked up once and kept.
 */
@Singleton
public class DeliveryMetrics {

    public static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void rejected(String reason, String provider) {
        counter("latchkey.webhook.rejections", "reason", reason, provider).increment();
    }

    public void accepted(String provider, boolean duplicate) {
        counter("latchkey.webhook.deliveries", "outcome", duplicate ? "duplicate" : "stored", provider).increment();
    }

    private Counter counter(String name, String tag, String value, String provider) {
        String key = name + '|' + value + '|' + provider;
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, k -> Counter.builder(name).tag(tag, value).tag("provider", provider)
                    .register(registry));
        }
        return counter;
    }
}
