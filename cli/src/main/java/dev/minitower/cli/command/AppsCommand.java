package dev.minitower.cli.command;

import static dev.minitower.cli.command.BaseCommand.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.output.Table;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code apps list|get|create}. */
@Command(
    name = "apps",
    description = "List, show and create apps.",
    subcommands = {AppsCommand.ListApps.class, AppsCommand.Get.class, AppsCommand.Create.class})
final class AppsCommand extends GroupCommand {

  static Table table() {
    return new Table("APP_ID", "SLUG", "DISABLED", "DESCRIPTION", "UPDATED_AT");
  }

  static void row(Table t, JsonNode json) {
    Views.AppView app = ApiClient.as(json, Views.AppView.class);
    t.row(
        String.valueOf(app.appId()),
        app.slug(),
        String.valueOf(app.disabled()),
        app.description(),
        app.updatedAt());
  }

  @Command(name = "list", description = "List the team's apps.")
  static final class ListApps extends ApiCommand {
    @Mixin JsonOption json;

    @Override
    protected int execute() {
      JsonNode resp = api().get("/api/v1/apps");
      if (json.json) {
        printJson(resp);
        return ExitCodes.OK;
      }
      Table t = table();
      for (JsonNode app : resp.path("apps")) {
        row(t, app);
      }
      t.print(out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", description = "Show one app.")
  static final class Get extends ApiCommand {
    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "<app>",
        description = "App slug (default: the profile's app).")
    String app;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      String slug = requireApp(app);
      JsonNode resp = api().get("/api/v1/apps/" + ApiClient.seg(slug));
      if (json.json) {
        printJson(resp);
        return ExitCodes.OK;
      }
      Table t = table();
      row(t, resp);
      t.print(out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "create", description = "Create an app.")
  static final class Create extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<slug>", description = "App slug.")
    String slugArg;

    @Option(names = "--slug", paramLabel = "<slug>", description = "App slug (or positional).")
    String slugFlag;

    @Option(names = "--description", paramLabel = "<text>", description = "Description.")
    String description;

    @Mixin JsonOption json;

    @Override
    protected int execute() {
      if (slugArg != null && slugFlag != null && !slugArg.equals(slugFlag)) {
        throw CliException.usage(
            "conflicting slugs: \"" + slugArg + "\" and --slug \"" + slugFlag + "\"");
      }
      String slug = slugArg != null ? slugArg : slugFlag;
      if (slug == null || slug.isBlank()) {
        throw CliException.usage("app slug is required (<slug> or --slug)");
      }
      boolean none = description == null || description.isBlank();
      ObjectNode body =
          ApiClient.body(new Requests.CreateApp(slug.trim(), none ? null : description));
      if (none) {
        body.putNull("description"); // what the original CLI sends
      }
      JsonNode app = api().post("/api/v1/apps", body);
      if (json.json) {
        printJson(app);
      } else {
        out().println("App \"" + text(app, "slug") + "\" created (id=" + text(app, "app_id") + ")");
      }
      return ExitCodes.OK;
    }
  }
}
