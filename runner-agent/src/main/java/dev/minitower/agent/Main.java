package dev.minitower.agent;

/** Entry point of the MiniTower runner agent (filled in by the runner-agent issue). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("minitower-runner " + Main.class.getPackage().getImplementationVersion());
  }
}
