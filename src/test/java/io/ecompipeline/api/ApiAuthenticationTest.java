package io.ecompipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecompipeline.config.Credentials;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import org.junit.jupiter.api.Test;

class ApiAuthenticationTest {

    private final ApiAuthentication auth = new ApiAuthentication(new Credentials("operator", "s3cret-pass"));

    @Test
    void onlyTheConfiguredUserAndPasswordGetIn() {
        var user = auth.authenticate(new UsernamePasswordCredentials("operator", "s3cret-pass"));
        assertTrue(user.succeeded());
        assertEquals("operator", user.result().subject());
        assertTrue(auth.authenticate(new UsernamePasswordCredentials("operator", "s3cret-pasS")).failed());
        assertTrue(auth.authenticate(new UsernamePasswordCredentials("Operator", "s3cret-pass")).failed());
        assertTrue(auth.authenticate(new UsernamePasswordCredentials("operator", "s3cret-pass ")).failed());
        assertTrue(auth.authenticate(new JsonObject().put("username", "operator")).failed(), "no password");
        assertTrue(auth.authenticate(new JsonObject().put("username", "operator").put("password", "s3cret-pass")).succeeded());
    }

    @Test
    void withoutValidCredentialsNobodyGetsIn() {
        ApiAuthentication none = new ApiAuthentication(null);
        assertTrue(none.authenticate(new UsernamePasswordCredentials("operator", "s3cret-pass")).failed());
        assertTrue(none.authenticate(new UsernamePasswordCredentials("", "")).failed());
    }
}
