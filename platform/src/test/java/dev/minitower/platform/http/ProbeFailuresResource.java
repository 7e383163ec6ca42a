package dev.minitower.platform.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.sql.SQLException;

/** Failures as the stores raise them, to test their mapping in isolation. */
@Path("/probe")
public class ProbeFailuresResource {

  @GET
  @Path("db-unreachable")
  public String unreachable() {
    throw new IllegalStateException(
        "insert failed", new SQLException("Connection to 127.0.0.1:1 refused", "08001"));
  }

  @GET
  @Path("db-statement")
  public String statement() {
    throw new IllegalStateException("insert failed", new SQLException("duplicate", "23505"));
  }
}
