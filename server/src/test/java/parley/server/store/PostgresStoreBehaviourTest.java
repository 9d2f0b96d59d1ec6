package parley.server.store;

/** The store behaviour suite on PostgreSQL: a new database on the shared throwaway server per test. */
class PostgresStoreBehaviourTest extends StoreBehaviourTest {
    private PostgresLocation location;

    @Override
    void newDatabase() throws Exception {
        location = PostgresLocation.parse(PostgresFixture.shared().createDatabase(), null);
    }

    @Override
    RegistryStore openStore() throws Exception {
        return PostgresStore.open(location);
    }
}
