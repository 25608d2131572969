"""A Redis master, its replica and three Sentinels that watch them: real redis-server
processes, tuned to notice a dead master and promote the replica within seconds."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import redis

from shopspot.localredis import LocalRedis, redis_server_binary
from tests.support.processes import wait_for

# Not Sentinel's usual "mymaster": a test that passes proves REDIS_SENTINEL_MASTER is read.
MASTER_NAME = "shopspot-test"
# Two of the three Sentinels must agree that the master is down; a majority elects the
# one that promotes the replica.
QUORUM = 2
SENTINELS = 3
# How long a master may go unanswered before a Sentinel calls it down (production: ~5 s),
# and how long before a stalled fail-over is tried again (twice this, in Sentinel).
DOWN_AFTER_MS = 400
FAILOVER_TIMEOUT_MS = 1000


class Master(LocalRedis):
    def command(self) -> list[str]:
        # Redis waits 5 s for more replicas before it streams its data set to one.
        return [*super().command(), "--repl-diskless-sync-delay", "0"]


class Replica(LocalRedis):
    def __init__(self, directory: Path, master: LocalRedis) -> None:
        super().__init__(directory)
        self.master = master

    def command(self) -> list[str]:
        return [*super().command(), "--replicaof", "127.0.0.1", str(self.master.port)]

    def ready(self, client: redis.Redis) -> bool:
        link = client.info("replication").get("master_link_status")
        return super().ready(client) and link == "up"


class Sentinel(LocalRedis):
    def __init__(self, directory: Path, master: LocalRedis) -> None:
        super().__init__(directory)
        self.master = master
        self.control = redis.Redis(port=self.port, socket_timeout=2)

    def command(self) -> list[str]:
        # Sentinel insists on a configuration file it can rewrite as it learns the
        # replica, its peers and, after a fail-over, the new master.
        config = self.directory / "sentinel.conf"
        config.write_text(
            f"port {self.port}\n"
            "bind 127.0.0.1\n"
            f"dir {self.directory}\n"
            "logfile redis.log\n"
            f"sentinel monitor {MASTER_NAME} 127.0.0.1 {self.master.port} {QUORUM}\n"
            f"sentinel down-after-milliseconds {MASTER_NAME} {DOWN_AFTER_MS}\n"
            f"sentinel failover-timeout {MASTER_NAME} {FAILOVER_TIMEOUT_MS}\n"
        )
        return [redis_server_binary(), str(config), "--sentinel"]

    def ready(self, client: redis.Redis) -> bool:
        return bool(client.ping())

    def master_port(self) -> int:
        _, port = cast(tuple[str, int], self.control.sentinel_get_master_addr_by_name(MASTER_NAME))
        return int(port)

    def watching(self) -> bool:
        """Whether it knows the replica in sync and both other Sentinels, as a fail-over needs."""
        state = cast(dict[str, Any], self.control.sentinel_master(MASTER_NAME))
        replicas = self.control.sentinel_slaves(MASTER_NAME)
        return state["num-other-sentinels"] == SENTINELS - 1 and any(
            replica["master-link-status"] == "ok" for replica in replicas
        )


class SentinelGroup:
    def __init__(self, directory: Path) -> None:
        self.master = Master(directory / "master")
        self.replica = Replica(directory / "replica", self.master)
        self.sentinels = [
            Sentinel(directory / f"sentinel-{number}", self.master) for number in range(SENTINELS)
        ]

    @property
    def url(self) -> str:
        """REDIS_URL in kombu's form: every Sentinel, and the master's database."""
        return ";".join(f"sentinel://127.0.0.1:{sentinel.port}/0" for sentinel in self.sentinels)

    def start(self) -> None:
        self.master.start()
        self.replica.start()
        for sentinel in self.sentinels:
            sentinel.start()
        # Sentinels find each other through the master every 2 s.
        wait_for(
            lambda: all(sentinel.watching() for sentinel in self.sentinels),
            timeout=30,
            message="the Sentinels to watch the master, its replica and each other",
        )

    def kill_master(self) -> None:
        self.master.stop(kill=True)

    def failed_over(self) -> bool:
        """Whether every Sentinel names the replica as the master now."""
        return all(sentinel.master_port() == self.replica.port for sentinel in self.sentinels)

    def stop(self) -> None:
        for server in [*self.sentinels, self.replica, self.master]:
            server.stop(kill=True)

    def __enter__(self) -> SentinelGroup:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
