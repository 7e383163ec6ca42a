package dev.minitower.cli;

/** Entry point of the {@code minitower} command line (filled in by the CLI issue). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("minitower " + Main.class.getPackage().getImplementationVersion());
  }
}
