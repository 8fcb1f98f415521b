package dev.latchkey.e2e.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.e2e.Suite;
import dev.latchkey.e2e.fuzz.Cases.Case;
import dev.latchkey.e2e.fuzz.OpenApi.Operation;

/**
 * Bad input never reaches a 500: every operation of the four running services, as each publishes it in its
 * own OpenAPI document (so a new endpoint is covered the day it is added), gets a seeded, bounded set of
 * generated requests (see {@link Cases} and {@link Mutants}), each answer is judged by {@link Oracle}, and
 * every service must still be healthy afterwards.
 * <p>
 * {@code -Dfuzz.seed=N} replays a run (the seed is printed; by default each run draws a new one),
 * {@code -Dfuzz.count=N} sets the requests per operation (default {@value #DEFAULT_COUNT}; before a release
 * run {@code -Dfuzz.count=2000}), {@code -Dfuzz.only=TEXT} keeps the operations whose "service METHOD path"
 * contains TEXT, {@code -Dfuzz.case=I} sends that one case only, {@code -Dfuzz.verbose=true} prints every case
 * with its answer.
 */
class OpenApiFuzzTest {

    static final int DEFAULT_COUNT = 80;
    static final int MAX_REPORTED = 25;
    /** Requests in flight at once: enough to keep two cores busy while others wait on the database. */
    static final int SENDERS = 4;

    static Suite suite;
    static Fixture fixture;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startTheSuite() throws Exception {
        suite = Suite.shared();
        fixture = Fixture.create(suite, JSON);
    }

    record Failure(Case generated, RawHttp.Response response, List<String> problems) {
    }

    /**
     * @param status the answer's status, 0 for none
     * @param code   the error body's code, if any
     */
    record Outcome(Case generated, int status, String code, Failure failure) {
    }

    private static Outcome send(Oracle oracle, Case generated) {
        RawHttp.Response response;
        try {
            response = sendPatiently(generated.operation().port(), generated.request());
        } catch (IOException e) {
            return new Outcome(generated, 0, null,
                    new Failure(generated, null, List.of("no usable answer: " + e.getMessage())));
        }
        List<String> problems = oracle.judge(generated.operation(), generated.request(), response);
        String code = null;
        if (response != null && response.status() >= 400) {
            try {
                code = JSON.readTree(response.body()).path("code").asText(null);
            } catch (IOException | RuntimeException notJson) {
                code = "(no JSON body)";
            }
        }
        return new Outcome(generated, response == null ? 0 : response.status(), code,
                problems.isEmpty() ? null : new Failure(generated, response, problems));
    }

    @Test
    void noGeneratedRequestGetsA5xxALeakOrAnErrorWithoutTheErrorBody() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime() ^ System.currentTimeMillis());
        int count = Integer.getInteger("fuzz.count", DEFAULT_COUNT);
        String only = System.getProperty("fuzz.only", "");
        Integer singleCase = Integer.getInteger("fuzz.case");
        boolean verbose = Boolean.getBoolean("fuzz.verbose");
        System.out.printf("fuzz: seed %d, %d requests per operation (replay: -Dfuzz.seed=%d -Dfuzz.count=%d)%n", seed,
                count, seed, count);

        Oracle oracle = new Oracle(JSON);
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<Failure> failures = new ArrayList<>();
        Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
        int sent = 0;
        long started = System.nanoTime();
        for (Map.Entry<String, Integer> service : Suite.SERVICES.entrySet()) {
            List<Operation> operations = OpenApi.load(service.getKey(), service.getValue(), JSON);
            assertFalse(operations.isEmpty(), service.getKey() + " publishes no operation");
            Map<String, Set<String>> methodsByPath = operations.stream().collect(Collectors.groupingBy(Operation::path,
                    Collectors.mapping(Operation::method, Collectors.toSet())));
            for (Operation operation : operations) {
                if (!operation.key().contains(only)) {
                    System.out.printf("fuzz: skipped %s (not selected by -Dfuzz.only)%n", operation.key());
                    continue;
                }
                Cases cases = new Cases(operation, methodsByPath.get(operation.path()), fixture, JSON);
                Map<Integer, Integer> histogram = statuses.computeIfAbsent(operation.key(), k -> new TreeMap<>());
                List<Future<Outcome>> outcomes = new ArrayList<>();
                for (int index = 0; index < count; index++) {
                    if (singleCase == null || index == singleCase) {
                        Case generated = cases.generate(seed, index);
                        outcomes.add(senders.submit(() -> send(oracle, generated)));
                    }
                }
                for (Future<Outcome> outcome : outcomes) {
                    Outcome done = outcome.get();
                    if (verbose) {
                        System.out.printf("fuzz: %s #%d [%s] %s -> %d %s%n", operation.key(), done.generated().index(),
                                done.generated().category(), done.generated().what(), done.status(), done.code());
                    }
                    sent++;
                    histogram.merge(done.status(), 1, Integer::sum);
                    if (done.failure() != null) {
                        failures.add(done.failure());
                    }
                }
            }
            assertHealthy(service.getKey(), service.getValue());
        }
        senders.shutdown();
        long millis = (System.nanoTime() - started) / 1_000_000;
        statuses.forEach((operation, histogram) -> System.out.printf("fuzz: %-60s %s%n", operation, histogram));
        System.out.printf("fuzz: %d requests in %d ms, seed %d, %d failing%n", sent, millis, seed, failures.size());
        theWalkthroughStillWorks();
        if (!failures.isEmpty()) {
            fail(report(seed, count, failures));
        }
    }

    /**
     * Sends a request, and again (twice at most, a second apart) while it is answered 503: a service whose
     * dependency is slow on a busy machine says so with a 503, which is right and not what this suite looks for.
     * A 503 that input causes comes back every time and is reported.
     */
    static RawHttp.Response sendPatiently(int port, RawHttp.Request request) throws IOException {
        AtomicReference<RawHttp.Response> last = new AtomicReference<>();
        AtomicInteger sent = new AtomicInteger();
        Awaitility.await("an answer other than 503, or three 503s").atMost(Duration.ofSeconds(120))
                .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    last.set(RawHttp.send(port, request));
                    return last.get() == null || last.get().status() != 503 || sent.incrementAndGet() == 3;
                });
        return last.get();
    }

    private static void assertHealthy(String service, int port) throws IOException {
        for (String check : List.of("/q/health/live", "/q/health/ready")) {
            RawHttp.Response health = RawHttp.send(port, new RawHttp.Request("GET", check, List.of(), null, false));
            assertEquals(200, health == null ? 0 : health.status(), service + " is not healthy after fuzzing: " + check);
        }
    }

    /** After everything, the README's walkthrough still works end to end. */
    private static void theWalkthroughStillWorks() throws IOException {
        Fixture after = Fixture.create(suite, JSON);
        RawHttp.Response organization = RawHttp.send(Suite.TENANT, new RawHttp.Request("GET",
                "/v1/organizations/" + after.organizationId(),
                List.of(new RawHttp.Header("Authorization", "Bearer " + after.accessToken())), null, false));
        assertEquals(200, organization == null ? 0 : organization.status(), "the walkthrough fails after fuzzing");
    }

    private static String report(long seed, int count, List<Failure> failures) {
        StringBuilder out = new StringBuilder();
        out.append(failures.size()).append(" generated requests were answered badly (seed ").append(seed).append(")\n");
        for (Failure failure : failures.subList(0, Math.min(MAX_REPORTED, failures.size()))) {
            Case generated = failure.generated();
            out.append("\n").append(generated.operation().key()).append(" case ").append(generated.index()).append(" [")
                    .append(generated.category()).append("] ").append(generated.what()).append('\n')
                    .append("  replay: -Dfuzz.seed=").append(seed).append(" -Dfuzz.count=").append(count)
                    .append(" -Dfuzz.only='").append(generated.operation().key()).append("' -Dfuzz.case=")
                    .append(generated.index()).append('\n');
            failure.problems().forEach(problem -> out.append("  ✗ ").append(problem).append('\n'));
            out.append("  request: ").append(generated.request().describe().replace("\n", "\n  ")).append('\n');
            if (failure.response() != null) {
                out.append("  answer: ").append(failure.response().status()).append(' ')
                        .append(Printable.of(failure.response().text(), 300)).append('\n');
            }
        }
        if (failures.size() > MAX_REPORTED) {
            out.append("\n… and ").append(failures.size() - MAX_REPORTED).append(" more\n");
        }
        return out.toString();
    }
}
