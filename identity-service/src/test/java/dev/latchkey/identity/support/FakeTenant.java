package dev.latchkey.identity.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.latchkey.common.auth.Revocations;
import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.FakeLatchkey.Response;
import io.quarkus.arc.Arc;

/**
 * tenant-service's membership API as identity uses it, played over real HTTP by FakeLatchkey: onboarding makes
 * a personal organization once; tests add memberships and change roles.
 */
public final class FakeTenant {

    public record Org(String id, String name, String slug, String role, boolean personal) {
    }

    private static final Map<String, List<Org>> MEMBERSHIPS = new ConcurrentHashMap<>();
    private static final Pattern USER = Pattern.compile("/internal/v1/users/([^/]+)/(memberships|onboard)");
    private static final Pattern MEMBER = Pattern.compile("/internal/v1/organizations/([^/]+)/members/([^/]+)");

    private FakeTenant() {
    }

    /** FakeLatchkey plays tenant-service (and the defaults: JWKS, client credentials, sessions). */
    public static void install() {
        FakeLatchkey.reset();
        FakeLatchkey.on("GET", "/internal/v1/users/*", r -> {
            if (!authorized(r)) {
                return new Response(401, "{\"code\":\"auth_required\"}");
            }
            Matcher m = USER.matcher(r.path());
            if (!m.matches()) {
                return new Response(404, "{\"code\":\"not_found\"}");
            }
            return new Response(200, json(MEMBERSHIPS.getOrDefault(m.group(1), List.of())));
        });
        FakeLatchkey.on("POST", "/internal/v1/users/*", r -> {
            if (!authorized(r)) {
                return new Response(401, "{\"code\":\"auth_required\"}");
            }
            Matcher m = USER.matcher(r.path());
            if (!m.matches()) {
                return new Response(404, "{\"code\":\"not_found\"}");
            }
            List<Org> orgs = MEMBERSHIPS.computeIfAbsent(m.group(1), k -> new ArrayList<>());
            synchronized (orgs) {
                if (orgs.stream().noneMatch(Org::personal)) {
                    String id = UUID.randomUUID().toString();
                    orgs.add(0, new Org(id, "Personal", "personal-" + id.substring(0, 8), "owner", true));
                }
            }
            return new Response(200, json(orgs));
        });
        FakeLatchkey.on("GET", "/internal/v1/organizations/*", r -> {
            Matcher m = MEMBER.matcher(r.path());
            if (!authorized(r) || !m.matches()) {
                return new Response(404, "{\"code\":\"not_found\"}");
            }
            return MEMBERSHIPS.getOrDefault(m.group(2), List.of()).stream().filter(o -> o.id().equals(m.group(1)))
                    .findFirst().map(o -> new Response(200, json(o)))
                    .orElse(new Response(404, "{\"code\":\"not_found\",\"error\":\"Not Found\"}"));
        });
    }

    /** Makes {@code userId} a member of a new organization with {@code role}; returns its id. */
    public static String join(String userId, String name, String role) {
        String id = UUID.randomUUID().toString();
        MEMBERSHIPS.computeIfAbsent(userId, k -> new ArrayList<>()).add(new Org(id, name, "org-" + id.substring(0, 8), role, false));
        changed(userId);
        return id;
    }

    /** The user leaves an organization (published, as tenant-service does). */
    public static void leave(String userId, String organizationId) {
        MEMBERSHIPS.get(userId).removeIf(o -> o.id().equals(organizationId));
        changed(userId);
    }

    /** Changes the user's role in an organization. */
    public static void setRole(String userId, String organizationId, String role) {
        List<Org> orgs = MEMBERSHIPS.get(userId);
        orgs.replaceAll(o -> o.id().equals(organizationId) ? new Org(o.id(), o.name(), o.slug(), role, o.personal()) : o);
        changed(userId);
    }

    /** As tenant-service does after every change of memberships: published on the revocation channel. */
    public static void changed(String userId) {
        Arc.container().instance(Revocations.class).get().publishMembershipChanged("user " + userId).await()
                .atMost(java.time.Duration.ofSeconds(5));
    }

    public static List<Org> of(String userId) {
        return MEMBERSHIPS.getOrDefault(userId, List.of());
    }

    private static boolean authorized(FakeLatchkey.Request r) {
        String auth = r.header("Authorization");
        return auth != null && auth.startsWith("Bearer ey");
    }

    private static String json(List<Org> orgs) {
        StringBuilder out = new StringBuilder("{\"memberships\":[");
        for (int i = 0; i < orgs.size(); i++) {
            out.append(i == 0 ? "" : ",").append(json(orgs.get(i)));
        }
        return out.append("]}").toString();
    }

    private static String json(Org o) {
        return "{\"organization_id\":\"" + o.id() + "\",\"name\":\"" + o.name() + "\",\"slug\":\"" + o.slug()
                + "\",\"role\":\"" + o.role() + "\",\"personal\":" + o.personal() + "}";
    }
}
