package dev.latchkey.e2e.fuzz;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The operations a running service publishes in its own OpenAPI document, with $refs resolved. */
final class OpenApi {

    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private OpenApi() {
    }

    record Param(String name, String in, boolean required, JsonNode schema) {
    }

    /**
     * @param mediaTypes the request body's media types, first the one to send valid requests in; empty when the
     *                   operation takes no body
     * @param secured    whether the document asks for credentials (a security requirement)
     * @param pages      whether the operation serves HTML pages to browsers (identity's sign-in pages)
     */
    record Operation(String service, int port, String method, String path, List<Param> params, List<String> mediaTypes,
            JsonNode bodySchema, boolean bodyRequired, boolean secured, boolean pages) {

        String key() {
            return service + " " + method + " " + path;
        }

        List<Param> in(String where) {
            return params.stream().filter(p -> p.in().equals(where)).toList();
        }

        boolean hasBody() {
            return !mediaTypes.isEmpty();
        }

        boolean takesForm() {
            return hasBody() && mediaTypes.get(0).startsWith("application/x-www-form-urlencoded");
        }

        boolean takesJson() {
            return hasBody() && mediaTypes.get(0).contains("json");
        }
    }

    /** Fetches {@code /q/openapi?format=json} and lists its operations, sorted so that a seed replays. */
    static List<Operation> load(String service, int port, ObjectMapper json) throws IOException {
        RawHttp.Response answer = RawHttp.send(port,
                new RawHttp.Request("GET", "/q/openapi?format=json", List.of(new RawHttp.Header("Accept", "application/json")),
                        null, false));
        if (answer == null || answer.status() != 200) {
            throw new IOException(service + " did not serve its OpenAPI document: "
                    + (answer == null ? "no answer" : answer.status()));
        }
        JsonNode document = json.readTree(answer.body());
        List<Operation> operations = new ArrayList<>();
        boolean globallySecured = required(document.path("security"));
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            List<JsonNode> shared = new ArrayList<>();
            path.getValue().path("parameters").forEach(shared::add);
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext();) {
                Map.Entry<String, JsonNode> method = methods.next();
                if (!METHODS.contains(method.getKey())) {
                    continue;
                }
                JsonNode op = method.getValue();
                List<Param> params = new ArrayList<>();
                List<JsonNode> declared = new ArrayList<>(shared);
                op.path("parameters").forEach(declared::add);
                for (JsonNode p : declared) {
                    JsonNode param = resolve(document, p);
                    params.add(new Param(param.path("name").asText(), param.path("in").asText(),
                            param.path("required").asBoolean(false), resolve(document, param.path("schema"))));
                }
                List<String> mediaTypes = new ArrayList<>();
                JsonNode bodySchema = null;
                JsonNode requestBody = resolve(document, op.path("requestBody"));
                for (Iterator<Map.Entry<String, JsonNode>> content = requestBody.path("content").fields(); content
                        .hasNext();) {
                    Map.Entry<String, JsonNode> type = content.next();
                    mediaTypes.add(type.getKey());
                    if (bodySchema == null) {
                        bodySchema = deref(document, type.getValue().path("schema"), 0);
                    }
                }
                boolean secured = op.has("security") ? required(op.path("security")) : globallySecured;
                boolean pages = false;
                for (JsonNode declaredAnswer : op.path("responses")) {
                    for (Iterator<String> types = resolve(document, declaredAnswer).path("content").fieldNames(); types.hasNext();) {
                        pages |= types.next().startsWith("text/html");
                    }
                }
                operations.add(new Operation(service, port, method.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                        List.copyOf(params), List.copyOf(mediaTypes), bodySchema,
                        requestBody.path("required").asBoolean(false), secured, pages));
            }
        }
        operations.sort(Comparator.comparing(Operation::key));
        return operations;
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        for (int hops = 0; node.has("$ref") && hops < 10; hops++) {
            node = document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    /** A schema with every $ref replaced by what it points at (recursion cut at a few levels). */
    private static JsonNode deref(JsonNode document, JsonNode schema, int depth) {
        JsonNode resolved = resolve(document, schema);
        if (depth > 6 || !resolved.isObject()) {
            return resolved;
        }
        ObjectNode copy = resolved.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> fields = resolved.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            switch (field.getKey()) {
                case "properties" -> {
                    ObjectNode properties = copy.putObject("properties");
                    field.getValue().fields().forEachRemaining(
                            p -> properties.set(p.getKey(), deref(document, p.getValue(), depth + 1)));
                }
                case "items", "additionalProperties" -> {
                    if (field.getValue().isObject()) {
                        copy.set(field.getKey(), deref(document, field.getValue(), depth + 1));
                    }
                }
                case "allOf", "oneOf", "anyOf" -> {
                    var list = copy.putArray(field.getKey());
                    field.getValue().forEach(s -> list.add(deref(document, s, depth + 1)));
                }
                default -> {
                }
            }
        }
        return copy;
    }

    /**
     * Whether a list of security requirements demands credentials: at least one requirement, and no empty one
     * (an empty requirement object means the operation may also be called without any, OpenAPI 3 §4.8.30).
     */
    static boolean required(JsonNode security) {
        if (security.size() == 0) {
            return false;
        }
        for (JsonNode requirement : security) {
            if (requirement.size() == 0) {
                return false;
            }
        }
        return true;
    }
}
