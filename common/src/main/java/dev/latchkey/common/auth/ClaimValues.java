package dev.latchkey.common.auth;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.latchkey.common.rbac.ResourceScope;
import dev.latchkey.common.rbac.Role;

/**
 * Claim values as {@link VerifiedToken} keeps them: smallrye-jwt hands claims over as JSON-P values (or jose4j's
 * Java types, depending on how the principal was made); these turn them into plain Java values and Latchkey's
 * types. Called once per verified token, never per request.
 */
final class ClaimValues {

    private ClaimValues() {
    }

    /** A claim value as plain Java: JSON-P values and jose4j's types are copied into String, Long, List, Map. */
    static Object plain(Object value) {
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString json) {
            return json.getString().intern();
        }
        if (value instanceof String text) {
            return text.intern();
        }
        if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
            return value == JsonValue.TRUE;
        }
        if (value instanceof JsonNumber number) {
            return number.isIntegral() ? (Object) number.longValue() : number.bigDecimalValue();
        }
        // JSON-P arrays and objects are Lists and Maps.
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(ClaimValues::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return Collections.unmodifiableMap(out);
        }
        return value;
    }

    static String string(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof JsonString json) {
            return json.getString();
        }
        return value.toString();
    }

    static boolean bool(Object value) {
        return value != null && (Boolean.TRUE.equals(value) || JsonValue.TRUE.equals(value) || "true".equals(value.toString()));
    }

    static Set<Role> roles(Object claim) {
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (String value : strings(claim)) {
            Role role = Role.parse(value);
            if (role != null) {
                out.add(role);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    static List<String> strings(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (claim instanceof JsonArray array) {
            return array.stream().filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).getString()).toList();
        }
        if (claim instanceof Collection<?> collection) {
            return collection.stream().map(ClaimValues::string).toList();
        }
        String single = string(claim);
        return single == null ? List.of() : List.of(single.split(" "));
    }

    static ResourceScope resourceScope(Object claim) {
        if (claim instanceof JsonObject object) {
            ResourceScope.Type type = ResourceScope.Type.parse(object.getString(Claims.RESOURCE_SCOPE_TYPE, null));
            if (type == null || type == ResourceScope.Type.ORGANIZATION) {
                return ResourceScope.ORGANIZATION;
            }
            return new ResourceScope(type, new LinkedHashSet<>(strings(object.get(Claims.RESOURCE_SCOPE_IDS))));
        }
        if (claim instanceof Map<?, ?> map) {
            ResourceScope.Type type = ResourceScope.Type.parse(string(map.get(Claims.RESOURCE_SCOPE_TYPE)));
            if (type == null || type == ResourceScope.Type.ORGANIZATION) {
                return ResourceScope.ORGANIZATION;
            }
            return new ResourceScope(type, new LinkedHashSet<>(strings(map.get(Claims.RESOURCE_SCOPE_IDS))));
        }
        return ResourceScope.ORGANIZATION;
    }

    static RateLimit rateLimit(Object claim) {
        if (claim instanceof JsonObject object && object.get(Claims.RATE_LIMIT_PER_MINUTE) instanceof JsonNumber perMinute) {
            JsonValue burst = object.get(Claims.RATE_LIMIT_BURST);
            return new RateLimit(perMinute.intValue(), burst instanceof JsonNumber n ? n.intValue() : perMinute.intValue());
        }
        return null;
    }
}
