package dev.minitower.api.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a resource's typed request body (a record of {@code dev.minitower.model.api}) is read: the
 * original's 400 message for a body that does not decode ({@link #value}), and whether an empty
 * body is allowed ({@link #optional}: the parameter is then {@code null} and the resource applies
 * its defaults). Read by {@link ContractBodyReader}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface JsonBody {
  /** The 400 {@code invalid_request} message (a prefix: {@code ": <detail>"} follows). */
  String value() default "invalid JSON body";

  /** An empty body, only whitespace or {@code null} is absent rather than malformed. */
  boolean optional() default false;

  /** The message for an empty body when not optional; empty: {@link #value}. */
  String blank() default "";
}
