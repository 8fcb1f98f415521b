package dev.latchkey.e2e.fuzz;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.latchkey.e2e.fuzz.Mutants.Mutant;
import dev.latchkey.e2e.fuzz.OpenApi.Operation;
import dev.latchkey.e2e.fuzz.OpenApi.Param;
import dev.latchkey.e2e.fuzz.RawHttp.Header;

/**
 * Generates the requests for one operation. Case {@code i} of a seed is always the same request (given the
 * same OpenAPI document and fixture), whatever other cases or operations run, so one failing case replays
 * alone. Each case starts from a valid request (valid body, path, credentials) and changes one thing, so
 * that what it tests gets past everything else; the categories take turns so that every kind of input
 * reaches every operation even in a short run, and the first turns of a field go through the classes that
 * every run must cover ({@link Mutants#CORE_JSON_VALUES}, {@link Mutants#CORE_FORM_VALUES}).
 */
final class Cases {

    enum Category {
        VALID, BODY_FIELD, BODY_SHAPE, BROKEN_JSON, FORM_FIELD, CONTENT_TYPE, ACCEPT, AUTHORIZATION, API_KEY,
        PATH_PARAM, QUERY, METHOD, HEADERS
    }

    /** One generated request and what it is about. */
    record Case(Operation operation, int index, Category category, String what, RawHttp.Request request) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PLACEHOLDER = "fuzz-placeholder-7f3a";
    private static final List<String> ODD_METHODS = List.of("PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
            "FUZZ", "get", "CONNECT", "PROPFIND");

    private final Operation operation;
    private final Set<String> methodsOfPath;
    private final Fixture fixture;
    private final ObjectMapper json;
    private final List<Category> categories;

    Cases(Operation operation, Set<String> methodsOfPath, Fixture fixture, ObjectMapper json) {
        this.operation = operation;
        this.methodsOfPath = methodsOfPath;
        this.fixture = fixture;
        this.json = json;
        List<Category> applicable = new ArrayList<>();
        for (Category category : Category.values()) {
            boolean applies = switch (category) {
                case BODY_FIELD, BODY_SHAPE, BROKEN_JSON -> operation.takesJson();
                case FORM_FIELD -> operation.takesForm();
                case PATH_PARAM -> !operation.in("path").isEmpty();
                default -> true;
            };
            // Fields are where most odd input goes: they get more turns than the other categories.
            int turns = category == Category.BODY_FIELD || category == Category.FORM_FIELD ? 4
                    : category == Category.BROKEN_JSON || category == Category.PATH_PARAM ? 2 : 1;
            for (int turn = 0; applies && turn < turns; turn++) {
                applicable.add(category);
            }
        }
        this.categories = List.copyOf(applicable);
    }

    /** How many cases of the same category come before case {@code index} of this operation. */
    private int turn(int index) {
        Category category = categories.get(index % categories.size());
        int before = (int) categories.subList(0, index % categories.size()).stream().filter(category::equals).count();
        int perRound = (int) categories.stream().filter(category::equals).count();
        return index / categories.size() * perRound + before;
    }

    List<Category> categories() {
        return categories;
    }

    Case generate(long seed, int index) {
        SplittableRandom random = new SplittableRandom(mix(seed, operation.key(), index));
        Category category = categories.get(index % categories.size());
        Draft draft = baseline(random);
        switch (category) {
            case VALID -> draft.what = "valid request";
            case BODY_FIELD -> bodyField(draft, random, turn(index));
            case BODY_SHAPE -> bodyShape(draft, random);
            case BROKEN_JSON -> {
                Mutant broken = pick(random, Mutants.BROKEN_JSON);
                draft.body = broken.bytes();
                draft.what = "broken JSON: " + broken.label();
            }
            case FORM_FIELD -> formField(draft, random, turn(index));
            case CONTENT_TYPE -> contentType(draft, random);
            case ACCEPT -> {
                String accept = pick(random, Mutants.ACCEPTS);
                draft.set("Accept", accept);
                draft.what = "Accept: " + Printable.of(accept, 40);
            }
            case AUTHORIZATION -> {
                draft.remove("X-API-Key");
                String authorization = pick(random, Mutants.authorizations(fixture));
                if (random.nextInt(8) == 0 && authorization != null) {
                    draft.headers.add(new Header("Authorization", authorization));
                    draft.what = "two Authorization headers, the second: " + Printable.of(authorization, 40);
                } else {
                    draft.set("Authorization", authorization);
                    draft.what = "Authorization: " + Printable.of(authorization, 40);
                }
            }
            case API_KEY -> {
                draft.remove("Authorization");
                String key = pick(random, Mutants.apiKeys(fixture));
                draft.set("X-API-Key", key);
                draft.what = "X-API-Key: " + Printable.of(key, 40);
            }
            case PATH_PARAM -> {
                Param param = pick(random, operation.in("path"));
                String value = pick(random, Mutants.PATH_VALUES);
                draft.pathValues.put(param.name(), value);
                draft.what = "path parameter " + param.name() + " = " + Printable.of(value, 40);
            }
            case QUERY -> query(draft, random);
            case METHOD -> {
                List<String> odd = ODD_METHODS.stream().filter(m -> !methodsOfPath.contains(m)).toList();
                draft.method = pick(random, odd);
                draft.what = "method " + draft.method + " on " + operation.path();
            }
            case HEADERS -> headers(draft, random);
        }
        return new Case(operation, index, category, draft.what, draft.build());
    }

    /** A request that passes everything: valid path, parameters, credentials and body. */
    private Draft baseline(SplittableRandom random) {
        Draft draft = new Draft();
        for (Param param : operation.params()) {
            JsonNode value = valid(param.schema(), param.name(), random, 0);
            String text = value.isTextual() ? value.asText() : value.toString();
            switch (param.in()) {
                case "path" -> draft.pathValues.put(param.name(), encode(text).replace("+", "%20"));
                case "query" -> {
                    if (param.required() || random.nextBoolean()) {
                        draft.query.add(encode(param.name()) + "=" + encode(text));
                    }
                }
                case "header" -> {
                    if (!param.name().equalsIgnoreCase("Authorization") && !param.name().equalsIgnoreCase("X-API-Key")) {
                        draft.set(param.name(), text);
                    }
                }
                default -> {
                }
            }
        }
        if (operation.secured()) {
            if (random.nextInt(5) == 0) {
                draft.set("X-API-Key", fixture.apiKey());
            } else {
                draft.set("Authorization", "Bearer " + pick(random, fixture.bearerTokens()));
            }
        }
        if (random.nextBoolean()) {
            draft.set("Accept", "application/json");
        }
        if (operation.hasBody()) {
            draft.set("Content-Type", operation.mediaTypes().get(0));
            if (operation.takesForm()) {
                draft.form = validForm(random);
                draft.body = formBody(draft.form);
            } else if (operation.takesJson()) {
                draft.tree = valid(operation.bodySchema(), "", random, 0);
                draft.body = bytes(draft.tree);
            } else {
                draft.body = "fuzz".getBytes(StandardCharsets.US_ASCII);
            }
        }
        return draft;
    }

    private void bodyField(Draft draft, SplittableRandom random, int turn) {
        if (!(draft.tree instanceof ObjectNode root) || draft.tree.isEmpty()) {
            bodyShape(draft, random);
            return;
        }
        fillOptional(root, operation.bodySchema(), random);
        List<String> paths = new ArrayList<>();
        collect(root, "", paths);
        String path = pick(random, paths);
        // The first turns go through the classes every run must cover, then the catalogue is drawn from at random.
        Mutant value = turn < Mutants.CORE_JSON_VALUES.size() ? Mutants.CORE_JSON_VALUES.get(turn)
                : pick(random, Mutants.JSON_VALUES);
        replace(root, path);
        draft.body = splice(bytes(root), value.bytes());
        draft.what = "field " + path + " = " + value.label();
    }

    private void bodyShape(Draft draft, SplittableRandom random) {
        ObjectNode root = draft.tree instanceof ObjectNode o ? o : NODES.objectNode();
        List<String> required = new ArrayList<>();
        operation.bodySchema().path("required").forEach(r -> required.add(r.asText()));
        switch (random.nextInt(8)) {
            case 0 -> {
                if (required.isEmpty()) {
                    draft.body = "{}".getBytes(StandardCharsets.US_ASCII);
                    draft.what = "empty object";
                } else {
                    String missing = pick(random, required);
                    root.remove(missing);
                    draft.body = bytes(root);
                    draft.what = "required field " + missing + " missing";
                }
            }
            case 1 -> {
                root.put("fuzz_unknown", 1);
                draft.body = bytes(root);
                draft.what = "unknown field";
            }
            case 2 -> {
                String field = root.size() > 0 ? root.fieldNames().next() : "name";
                String body = new String(bytes(root), StandardCharsets.UTF_8);
                draft.body = (body.substring(0, body.length() - 1) + (root.size() > 0 ? "," : "") + Mutants.json(field)
                        + ":\"duplicate\"}").getBytes(StandardCharsets.UTF_8);
                draft.what = "field " + field + " twice";
            }
            case 3 -> {
                String root2 = pick(random, List.of("[]", "\"text\"", "123", "null", "true", "[" + bytesText(root) + "]"));
                draft.body = root2.getBytes(StandardCharsets.UTF_8);
                draft.what = "root is " + Printable.of(root2, 20);
            }
            case 4 -> {
                for (int i = 0; i < 300; i++) {
                    root.put("extra_" + i, i);
                }
                draft.body = bytes(root);
                draft.what = "300 unknown fields";
            }
            case 5 -> {
                root.put("k".repeat(10_000), 1);
                draft.body = bytes(root);
                draft.what = "a 10000-character field name";
            }
            case 6 -> {
                String odd = pick(random, List.of("a\u0000b", "\u202Ename", "na\u00ADme", "NAME", " name", "name\n"));
                root.put(odd, "x");
                draft.body = bytes(root);
                draft.what = "field named " + Printable.of(odd, 20);
            }
            default -> {
                byte[] padded = new byte[1_100_000];
                java.util.Arrays.fill(padded, (byte) ' ');
                byte[] valid = bytes(root);
                System.arraycopy(valid, 0, padded, padded.length - valid.length, valid.length);
                draft.body = padded;
                draft.what = "body over the 1 MB limit";
            }
        }
    }

    private void formField(Draft draft, SplittableRandom random, int turn) {
        Map<String, String> form = draft.form;
        List<String> names = new ArrayList<>(form.keySet());
        boolean core = turn < Mutants.CORE_FORM_VALUES.size();
        switch (core ? 0 : random.nextInt(6)) {
            case 0, 1, 2 -> {
                String name = pick(random, names);
                Mutant value = core ? Mutants.CORE_FORM_VALUES.get(turn) : pick(random, Mutants.FORM_VALUES);
                form.put(name, value.text());
                draft.body = formBody(form);
                draft.what = "form field " + name + " = " + value.label();
            }
            case 3 -> {
                String name = pick(random, names);
                form.remove(name);
                draft.body = formBody(form);
                draft.what = "form field " + name + " missing";
            }
            case 4 -> {
                String name = pick(random, names);
                draft.body = (new String(formBody(form), StandardCharsets.ISO_8859_1) + "&" + name + "=other")
                        .getBytes(StandardCharsets.ISO_8859_1);
                draft.what = "form field " + name + " twice";
            }
            default -> {
                String raw = pick(random, List.of("&&&", "=", "noequals", "%zz=1", "%00=1", "a=1&".repeat(300),
                        "{\"grant_type\":\"client_credentials\"}", "", "=&=&="));
                draft.body = raw.getBytes(StandardCharsets.ISO_8859_1);
                draft.what = "form body " + Printable.of(raw, 30);
            }
        }
    }

    private void contentType(Draft draft, SplittableRandom random) {
        if (draft.body == null) {
            draft.body = "{\"fuzz\":1}".getBytes(StandardCharsets.US_ASCII);
        }
        switch (random.nextInt(4)) {
            case 0 -> {
                String type = pick(random, Mutants.CONTENT_TYPES);
                draft.headers.add(new Header("Content-Type", "application/json"));
                draft.set("Content-Type", type);
                draft.headers.add(new Header("Content-Type", "text/plain"));
                draft.what = "two Content-Type headers";
            }
            case 1 -> {
                String encoding = pick(random, Mutants.CONTENT_ENCODINGS);
                draft.set("Content-Encoding", encoding);
                draft.what = "Content-Encoding: " + encoding;
            }
            default -> {
                String type = pick(random, Mutants.CONTENT_TYPES);
                draft.set("Content-Type", type);
                draft.what = "Content-Type: " + Printable.of(type, 40);
            }
        }
    }

    private void query(Draft draft, SplittableRandom random) {
        List<Param> declared = operation.in("query");
        if (!declared.isEmpty() && random.nextBoolean()) {
            Param param = pick(random, declared);
            String value = pick(random, List.of("1", "", "%00", "%ff", "x".repeat(2000), "-1", "true"));
            draft.query.add(encode(param.name()) + "=" + value);
            draft.query.add(encode(param.name()) + "=" + value);
            draft.what = "query parameter " + param.name() + " twice = " + Printable.of(value, 20);
        } else {
            String query = pick(random, Mutants.QUERIES);
            draft.query.add(query);
            draft.what = "query " + Printable.of(query, 40);
        }
    }

    private void headers(Draft draft, SplittableRandom random) {
        switch (random.nextInt(10)) {
            case 0 -> {
                String id = pick(random, List.of("<script>", "a".repeat(100), "\u00e9", "", "../x", "%00"));
                draft.set("X-Request-Id", id);
                draft.what = "X-Request-Id: " + Printable.of(id, 20);
            }
            case 1 -> {
                String host = pick(random, List.of("ZAP%n%s%n%s", "[::1", "x:99999", "a b", "", "evil.example",
                        "127.0.0.1:1", "\u00e9.example", "h".repeat(300)));
                draft.set("Host", host);
                draft.what = "Host: " + Printable.of(host, 30);
            }
            case 2 -> {
                draft.set("X-Forwarded-For", "1.1.1.1, <script>, ::1, " + "9".repeat(50));
                draft.set("X-Forwarded-Host", "evil.example:99999");
                draft.set("X-Forwarded-Proto", "gopher");
                draft.set("Forwarded", "for=\"[::1\";proto=%00");
                draft.what = "forwarding headers";
            }
            case 3 -> {
                for (int i = 0; i < 60; i++) {
                    draft.headers.add(new Header("X-Fuzz-" + i, "v" + i));
                }
                draft.what = "60 extra headers";
            }
            case 4 -> {
                draft.set("Expect", pick(random, List.of("100-continue", "fuzz")));
                draft.what = "Expect: " + draft.get("Expect");
            }
            case 5 -> {
                if (draft.body == null) {
                    draft.body = "{}".getBytes(StandardCharsets.US_ASCII);
                }
                draft.chunked = true;
                draft.what = "body sent chunked";
            }
            case 6 -> {
                String cookie = pick(random, List.of("a=b; junk", "=", "a".repeat(4000), "q_session=%00"));
                draft.set("Cookie", cookie);
                draft.what = "Cookie: " + Printable.of(cookie, 20);
            }
            case 7 -> {
                draft.set("Origin", "http://evil.example");
                draft.set("Access-Control-Request-Method", "DELETE");
                draft.what = "cross-origin headers";
            }
            case 8 -> {
                String length = pick(random, List.of("abc", "-1", "1, 2", "99999999999999999999"));
                draft.set("Content-Length", length);
                draft.what = "Content-Length: " + length;
            }
            default -> {
                draft.set("Transfer-Encoding", pick(random, List.of("gzip", "chunked, chunked", "fuzz")));
                draft.what = "Transfer-Encoding: " + draft.get("Transfer-Encoding");
            }
        }
    }

    /** A value valid for the schema, preferring what the fixture knows for a field of that name. */
    private JsonNode valid(JsonNode schema, String name, SplittableRandom random, int depth) {
        JsonNode known = fixture.known().get(name);
        if (known != null) {
            return known.deepCopy();
        }
        if (schema == null || schema.isMissingNode()) {
            return NODES.textNode("fuzz");
        }
        if (schema.has("allOf")) {
            return valid(schema.get("allOf").get(0), name, random, depth);
        }
        for (String choice : List.of("oneOf", "anyOf")) {
            if (schema.has(choice)) {
                return valid(schema.get(choice).get(0), name, random, depth);
            }
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0).deepCopy();
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                Set<String> required = new java.util.HashSet<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                if (depth < 5) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext();) {
                        Map.Entry<String, JsonNode> property = it.next();
                        if (required.contains(property.getKey()) || random.nextBoolean()) {
                            object.set(property.getKey(), valid(property.getValue(), property.getKey(), random, depth + 1));
                        }
                    }
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                if (depth < 5) {
                    array.add(valid(schema.path("items"), name, random, depth + 1));
                }
                return array;
            }
            case "integer", "number" -> {
                return NODES.numberNode(Math.max(1, schema.path("minimum").asLong(1)));
            }
            case "boolean" -> {
                return NODES.booleanNode(true);
            }
            default -> {
                return switch (schema.path("format").asText("")) {
                    case "uuid" -> NODES.textNode(fixture.organizationId());
                    case "date-time" -> NODES.textNode(OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).withNano(0).toString());
                    case "date" -> NODES.textNode("2030-01-01");
                    default -> {
                        int max = schema.path("maxLength").asInt(20);
                        String text = "fuzz-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
                        yield NODES.textNode(text.substring(0, Math.max(1, Math.min(text.length(), max))));
                    }
                };
            }
        }
    }

    /** Adds the optional properties the baseline left out, so that every field can be mutated. */
    private void fillOptional(ObjectNode object, JsonNode schema, SplittableRandom random) {
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> property = it.next();
            if (!object.has(property.getKey())) {
                object.set(property.getKey(), valid(property.getValue(), property.getKey(), random, 1));
            }
        }
    }

    private Map<String, String> validForm(SplittableRandom random) {
        Map<String, String> form = new LinkedHashMap<>();
        JsonNode schema = operation.bodySchema();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema == null ? java.util.Collections.emptyIterator()
                : schema.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> property = it.next();
            JsonNode value = valid(property.getValue(), property.getKey(), random, 1);
            form.put(property.getKey(), encode(value.isTextual() ? value.asText() : value.toString()));
        }
        return form;
    }

    private static byte[] formBody(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&").append(name).append('=').append(value));
        return body.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void collect(JsonNode node, String path, List<String> paths) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                paths.add(child);
                collect(field.getValue(), child, paths);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String child = path + "[" + i + "]";
                paths.add(child);
                collect(node.get(i), child, paths);
            }
        }
    }

    /** Puts the placeholder at {@code path} ("a.b[0]"). */
    private static void replace(ObjectNode root, String path) {
        JsonNode parent = root;
        String[] steps = path.replace("[", ".[").split("\\.");
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            boolean last = i == steps.length - 1;
            if (step.startsWith("[")) {
                int index = Integer.parseInt(step.substring(1, step.length() - 1));
                if (last) {
                    ((ArrayNode) parent).set(index, NODES.textNode(PLACEHOLDER));
                } else {
                    parent = parent.get(index);
                }
            } else if (last) {
                ((ObjectNode) parent).put(step, PLACEHOLDER);
            } else {
                parent = parent.get(step);
            }
        }
    }

    private static byte[] splice(byte[] document, byte[] value) {
        byte[] marker = ("\"" + PLACEHOLDER + "\"").getBytes(StandardCharsets.US_ASCII);
        String text = new String(document, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(new String(marker, StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(document, 0, at);
        out.writeBytes(value);
        out.write(document, at + marker.length, document.length - at - marker.length);
        return out.toByteArray();
    }

    private byte[] bytes(JsonNode tree) {
        try {
            return json.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String bytesText(JsonNode tree) {
        return new String(bytes(tree), StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static <T> T pick(SplittableRandom random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** A seed per (run seed, operation, case), independent of every other case. */
    static long mix(long seed, String operation, int index) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < operation.length(); i++) {
            h = (h ^ operation.charAt(i)) * 0x100000001B3L;
        }
        h ^= index * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
        return h * 0x94D049BB133111EBL;
    }

    /** A request being built. */
    private final class Draft {
        String method = operation.method();
        final Map<String, String> pathValues = new LinkedHashMap<>();
        final List<String> query = new ArrayList<>();
        final List<Header> headers = new ArrayList<>();
        Map<String, String> form;
        JsonNode tree;
        byte[] body;
        boolean chunked;
        String what;

        void set(String name, String value) {
            remove(name);
            if (value != null) {
                headers.add(new Header(name, value));
            }
        }

        void remove(String name) {
            headers.removeIf(h -> h.name().equalsIgnoreCase(name));
        }

        String get(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst()
                    .orElse(null);
        }

        RawHttp.Request build() {
            String target = operation.path();
            for (Map.Entry<String, String> value : pathValues.entrySet()) {
                target = target.replace("{" + value.getKey() + "}", value.getValue());
            }
            if (!query.isEmpty()) {
                target += "?" + String.join("&", query);
            }
            byte[] payload = body;
            boolean length = payload != null && payload.length > 0 && !chunked && get("Content-Length") == null
                    && get("Transfer-Encoding") == null;
            if (chunked && payload != null) {
                headers.add(new Header("Transfer-Encoding", "chunked"));
                ByteArrayOutputStream framed = new ByteArrayOutputStream();
                int half = payload.length / 2;
                for (int[] piece : new int[][] { { 0, half }, { half, payload.length - half } }) {
                    if (piece[1] > 0) {
                        framed.writeBytes((Integer.toHexString(piece[1]) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        framed.write(payload, piece[0], piece[1]);
                        framed.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                framed.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                payload = framed.toByteArray();
            } else if (get("Transfer-Encoding") != null) {
                // The framing header is the mutation; a last chunk ends the body for a server that reads it chunked.
                payload = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            } else if (get("Content-Length") != null) {
                payload = null; // an invalid length is the mutation; nothing follows it
            }
            return new RawHttp.Request(method, target, headers, payload, length);
        }
    }
}
