package dev.minitower.api.store;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The boundary between the CRUD tables (Hibernate ORM, this package) and run-store's hand-written
 * SQL. Both use the transaction's one connection, but Hibernate keeps updates of loaded entities in
 * its session until a flush: a run-store call (plain JDBC) in the same transaction would not see
 * them. Every service flushes here before calling run-store.
 */
@ApplicationScoped
public class CrudSession {

  /** Writes every pending change of this transaction's session to the database. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void flushBeforeRunStore() {
    Panache.getEntityManager().flush();
  }
}
