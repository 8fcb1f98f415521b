package dev.latchkey.webhook.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.webhook.domain.Provider;
import dev.latchkey.webhook.signature.HeaderNames;
import dev.latchkey.webhook.signature.Headers;
import dev.latchkey.webhook.signature.Scheme;

/** The headers stored with an event are JSON that reads back as exactly what the sender sent, and never credentials. */
class SelectedHeadersTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static Provider provider(Scheme scheme, HeaderNames names) {
        return new Provider(UUID.randomUUID(), UUID.randomUUID(), "p", scheme, false, names, OffsetDateTime.now());
    }

    static Headers headers(Map<String, String> sent) {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(sent);
        return byName::get;
    }

    static Map<String, String> read(String json) throws Exception {
        return JSON.readValue(json, new TypeReference<Map<String, String>>() {
        });
    }

    @Test
    void valuesWithQuotesBackslashesControlAndNonAsciiCharactersReadBackUnchanged() throws Exception {
        String awkward = "Bot \"quoted\" \\path\\ tab\there del\u007f caf\u00e9";
        String json = IngestionService.selectedHeaders(provider(Scheme.GITHUB, HeaderNames.DEFAULT), headers(Map.of(
                "User-Agent", awkward, "X-GitHub-Delivery", "d-1", "Authorization", "Bearer secret",
                "X-Hub-Signature-256", "sha256=ab")));
        assertEquals(Map.of("user-agent", awkward, "x-github-delivery", "d-1", "x-hub-signature-256", "sha256=ab"),
                read(json));
    }

    @Test
    void namesAreLowerCaseInNameOrderAndAbsentOrOverlongHeadersAreLeftOut() throws Exception {
        String json = IngestionService.selectedHeaders(provider(Scheme.STRIPE, HeaderNames.DEFAULT), headers(Map.of(
                "Stripe-Signature", "t=1,v1=00", "Content-Type", "application/json", "User-Agent", "x".repeat(1025))));
        assertEquals("{\"content-type\":\"application/json\",\"stripe-signature\":\"t=1,v1=00\"}", json);
    }

    @Test
    void genericProvidersKeepTheirOwnHeaderNamesOnceEvenWhenTheyRepeatCommonOnes() throws Exception {
        HeaderNames names = HeaderNames.of("X-MAO-Signature", "Content-Type", "X-MAO-Nonce");
        String json = IngestionService.selectedHeaders(provider(Scheme.GENERIC, names), headers(Map.of(
                "X-MAO-Signature", "abc", "content-type", "text/plain", "X-MAO-Nonce", "n-1", "X-API-Key", "lk_secret")));
        Map<String, String> read = read(json);
        assertEquals(Map.of("x-mao-signature", "abc", "content-type", "text/plain", "x-mao-nonce", "n-1"), read);
        assertEquals(List.copyOf(new java.util.TreeSet<>(read.keySet())), List.copyOf(JSON.readTree(json).properties()
                .stream().map(e -> e.getKey().toLowerCase(Locale.ROOT)).toList()));
    }

    @Test
    void noKeptHeaderIsAnEmptyObject() {
        assertEquals("{}", IngestionService.selectedHeaders(provider(Scheme.SVIX, HeaderNames.DEFAULT), headers(Map.of())));
    }
}
