package io.ecompipeline.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.ecompipeline.config.Credentials;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;

/**
 * The one user of the REST and management servers, checked in memory: the credentials never touch a file (the users
 * file that camel-platform-http-main reads for basic auth stayed in the temp folder after every crash). Without valid
 * credentials (a setting error, reported at start-up) every login fails.
 */
public final class ApiAuthentication implements AuthenticationProvider {

    private final byte[] user;
    private final byte[] password;

    /** @param credentials null: nobody gets in */
    public ApiAuthentication(Credentials credentials) {
        this.user = credentials == null ? null : credentials.user().getBytes(StandardCharsets.UTF_8);
        this.password = credentials == null ? null : credentials.password().getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time comparison of both parts, so a wrong guess takes as long as a right one. */
    Future<User> check(String givenUser, String givenPassword) {
        if (user == null || givenUser == null || givenPassword == null) {
            return Future.failedFuture("invalid credentials");
        }
        boolean userMatches = MessageDigest.isEqual(user, givenUser.getBytes(StandardCharsets.UTF_8));
        boolean passwordMatches = MessageDigest.isEqual(password, givenPassword.getBytes(StandardCharsets.UTF_8));
        return userMatches & passwordMatches ? Future.succeededFuture(User.fromName(givenUser))
                : Future.failedFuture("invalid credentials");
    }

    @Override
    public Future<User> authenticate(io.vertx.ext.auth.authentication.Credentials credentials) {
        if (credentials instanceof UsernamePasswordCredentials up) {
            return check(up.getUsername(), up.getPassword());
        }
        return Future.failedFuture("only user name and password are accepted");
    }

    @Override
    public void authenticate(io.vertx.ext.auth.authentication.Credentials credentials, Handler<AsyncResult<User>> resultHandler) {
        resultHandler.handle(authenticate(credentials));
    }

    @Override
    public Future<User> authenticate(JsonObject credentials) {
        return check(credentials.getString("username"), credentials.getString("password"));
    }

    @Override
    public void authenticate(JsonObject credentials, Handler<AsyncResult<User>> resultHandler) {
        resultHandler.handle(authenticate(credentials));
    }
}
