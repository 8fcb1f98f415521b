package dev.latchkey.common.input;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

/** Endpoints of the kinds Latchkey services have, echoing what they received. Test code only. */
@Path("/probe")
@Produces(MediaType.APPLICATION_JSON)
public class InputProbeResource {

    public record Item(String label) {
    }

    public record Body(String name, List<String> scopes, List<Item> items, Map<String, String> metadata,
            @MultilineText String description) {
    }

    @POST
    @Path("/json")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Body> json(@Valid @NotNull Body body) {
        return Uni.createFrom().item(body);
    }

    /** Blocking, like identity's OAuth token endpoint. */
    @POST
    @Path("/form")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Map<String, String> form(@FormParam("client_id") String clientId, @FormParam("scope") String scope) {
        return echo(clientId, scope);
    }

    @POST
    @Path("/form-async")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Map<String, String>> formAsync(@FormParam("client_id") String clientId, @FormParam("scope") String scope) {
        return Uni.createFrom().item(echo(clientId, scope));
    }

    /** Takes the body whole, as webhook ingestion does: it must arrive byte for byte, whatever its type. */
    @POST
    @Path("/raw")
    @Consumes(MediaType.WILDCARD)
    public Map<String, String> raw(byte[] body) {
        return echo(java.util.HexFormat.of().formatHex(body), String.valueOf(body.length));
    }

    @GET
    @Path("/items/{id}")
    public Map<String, String> item(@PathParam("id") String id, @QueryParam("q") String q) {
        return echo(id, q);
    }

    private static Map<String, String> echo(String first, String second) {
        return Map.of("first", String.valueOf(first), "second", String.valueOf(second));
    }
}
