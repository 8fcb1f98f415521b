package dev.latchkey.identity.rest;

import static dev.latchkey.identity.rest.Pages.BROWSER_COOKIE;
import static dev.latchkey.identity.rest.Pages.SESSION_COOKIE;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;
import dev.latchkey.identity.service.AuthorizationRequests;
import dev.latchkey.identity.service.BrowserSessions;
import dev.latchkey.identity.service.DeviceAuthorizations;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The pages of the device authorization grant (RFC 8628): where a person enters the user code a device shows
 * ({@code verification_uri}), then the usual sign-in, organization and consent pages, ending on a page of their
 * own since there is no client to redirect to.
 */
@Cancellable(false)
@Path("/v1/oauth")
@PageLanguage.Localized
@Tag(name = "Sign-in pages")
public class DevicePages {

    private final DeviceAuthorizations devices;
    private final AuthorizationRequests requests;
    private final BrowserSessions browsers;
    private final Pages pages;
    private final PageFlow flow;
    private final Template devicePage;

    public DevicePages(DeviceAuthorizations devices, AuthorizationRequests requests, BrowserSessions browsers,
            Pages pages, PageFlow flow, @Location("oauth/device.html") Template devicePage) {
        this.devices = devices;
        this.requests = requests;
        this.browsers = browsers;
        this.pages = pages;
        this.flow = flow;
        this.devicePage = devicePage;
    }

    @GET
    @Path("/device")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Page where a person enters a device's user code (RFC 8628 verification_uri)")
    public Response deviceForm(@QueryParam("user_code") String userCode, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        Pages.Browser binding = pages.browser(browser);
        return deviceView(accept, binding.value(), userCode, null, binding.cookies());
    }

    @POST
    @Path("/device")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Enter a user code (form): on to sign-in, organization and consent for that device")
    public Uni<Response> deviceEnter(@FormParam("csrf") String token, @FormParam("user_code") String userCode,
            @CookieParam(BROWSER_COOKIE) String browser, @CookieParam(SESSION_COOKIE) String session,
            @Context RoutingContext routing, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (!pages.csrfValid(browser, token)) {
            return Uni.createFrom().item(pages.csrfRefused(accept));
        }
        return devices.byUserCode(userCode, pages.address(routing))
                .flatMap(device -> requests.beginDevice(device, browser))
                .flatMap(r -> browsers.current(session).flatMap(who -> flow.proceed(accept, r, who, browser, List.of())))
                .onFailure(ApiException.class).recoverWithUni(e -> {
                    ApiException refusal = (ApiException) e;
                    // The form again with what went wrong: a mistyped code, or too many of them from this address.
                    if ("invalid_user_code".equals(refusal.code()) || ErrorCodes.RATE_LIMITED.equals(refusal.code())) {
                        return Uni.createFrom().item(deviceView(accept, browser, userCode, refusal, List.of()));
                    }
                    return pages.failurePage(refusal, accept);
                });
    }

    @GET
    @Path("/device/done")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Where the pages of a device authorization end")
    public Response deviceDone(@QueryParam("error") String error, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (error == null) {
            return pages.message(accept, 200, pages.text().deviceConnected(), pages.text().deviceConnectedText(),
                    null, null, "info");
        }
        return pages.message(accept, 200, pages.text().deviceNotConnected(), "access_denied".equals(error)
                ? pages.text().deviceDeniedText() : pages.text().deviceExpiredText(), error, null, "error");
    }

    /** The code form; with a refusal (wrong code, too many wrong codes) its status, message and headers. */
    private Response deviceView(String accept, String browser, String userCode, ApiException refusal,
            List<NewCookie> cookies) {
        if (refusal != null && !Pages.html(accept)) {
            return Pages.jsonError(refusal.status(), refusal.code(), refusal.publicMessage(), refusal.headers());
        }
        String body = pages.localized(devicePage.data("csrf", pages.csrfToken(browser))
                .data("userCode", userCode == null ? "" : userCode)
                .data("error", refusal == null ? null : pages.describe(refusal))).render();
        Response.ResponseBuilder page = pages.pageBuilder(refusal == null ? 200 : refusal.status(), body, null, cookies);
        if (refusal != null) {
            refusal.headers().forEach(page::header);
        }
        return page.build();
    }
}
