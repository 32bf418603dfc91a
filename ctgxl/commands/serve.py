"""``ctgxl serve``: the Excel add-in server (buttons Vérifier, Consolider, Comparer)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from ..wording import plural
from ._common import rules_option

INSTALL = 'pip install -e ".[addin]"'


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adresse d'écoute. Hors de la machine locale, un jeton CTGXL_ADDIN_TOKEN "
                   "est obligatoire.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="Port d'écoute.")
@click.option("--origine", "origins", multiple=True, metavar="URL",
              help="Origine autorisée à appeler le serveur depuis un navigateur (CORS), par "
                   "exemple https://excel.cloud.microsoft ; répétable. Variable : "
                   "CTGXL_ADDIN_ORIGINS (séparées par des virgules).")
@click.option("--taille-max", "max_mb", type=click.IntRange(1, 500), default=20,
              show_default=True, help="Taille maximale d'une requête, en Mo.")
@click.option("--url-publique", "public_url", default=None, metavar="URL",
              help="Adresse https du serveur telle qu'Excel la voit, écrite dans manifest.xml "
                   "(par défaut : l'adresse de la requête).")
@click.option("--certificat", "certfile", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Certificat TLS (PEM) pour servir en https.")
@click.option("--cle", "keyfile", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Clé privée TLS (PEM) du certificat.")
@click.option("--processus", "workers", type=click.IntRange(1, 64), default=None,
              help="Nombre de processus de calcul (requêtes traitées en même temps). Par "
                   "défaut : un par processeur.")
@click.option("--file-attente", "queue", type=click.IntRange(0, 1000), default=32,
              show_default=True,
              help="Requêtes qui peuvent attendre un processus libre ; au-delà, le serveur "
                   "répond aussitôt « serveur occupé » (503).")
@click.option("--delai-entetes", "header_timeout", type=click.FloatRange(1, 600), default=10,
              show_default=True, help="Secondes pour recevoir les en-têtes d'une requête.")
@click.option("--delai-corps", "body_timeout", type=click.FloatRange(1, 3600), default=120,
              show_default=True, help="Secondes pour recevoir le corps entier d'une requête.")
@click.option("--connexions-max", "connections", type=click.IntRange(2, 10000), default=100,
              show_default=True, help="Connexions ouvertes en même temps ; au-delà, 503.")
@rules_option
def command(host: str, port: int, origins: tuple[str, ...], max_mb: int,
            public_url: str | None, certfile: Path | None, keyfile: Path | None,
            workers: int | None, queue: int, header_timeout: float, body_timeout: float,
            connections: int, rules_dir: Path | None) -> None:
    """Démarrer le serveur du complément Excel : les boutons Vérifier, Consolider et
    Comparer du volet ctgxl (Excel Windows, macOS et en ligne) l'appellent.

    \b
    Variables d'environnement :
      CTGXL_ADDIN_TOKEN    jeton exigé de chaque appel (« Authorization: Bearer … »)
      CTGXL_ADDIN_ORIGINS  origines autorisées (CORS), séparées par des virgules
      XLWINGS_LICENSE_KEY  clé xlwings.pro, lue à l'import d'xlwings (« noncommercial »
                           pour un usage non commercial, administrations comprises)

    Le manifeste à charger dans Excel est servi à /manifest.xml. Voir ctgxl aide complement.
    """
    import importlib.util
    import os

    from ..errors import CtgxlError

    missing = [m for m in ("xlwings", "fastapi", "uvicorn") if importlib.util.find_spec(m) is None]
    if missing:
        raise CtgxlError(f"le serveur du complément demande {', '.join(missing)} : "
                         f"installez-les avec {INSTALL}")
    token = os.environ.get("CTGXL_ADDIN_TOKEN", "").strip() or None
    if token is None and not is_loopback(host):
        raise CtgxlError(f"--host {host} rend le serveur accessible depuis le réseau : "
                         "définissez d'abord un jeton dans CTGXL_ADDIN_TOKEN")
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise CtgxlError("XLWINGS_LICENSE_KEY n'est pas défini : le serveur utilise xlwings.pro "
                         "(PolyForm Noncommercial 1.0.0 ou licence payante) ; pour un usage non "
                         "commercial, lancez-le avec XLWINGS_LICENSE_KEY=noncommercial")
    if (certfile is None) != (keyfile is None):
        raise CtgxlError("--certificat et --cle vont ensemble")
    env_origins = [o.strip() for o in os.environ.get("CTGXL_ADDIN_ORIGINS", "").split(",")]
    all_origins = tuple(dict.fromkeys([*origins, *(o for o in env_origins if o)]))

    from ..validation import load_rules

    if rules_dir is not None and not rules_dir.is_dir():
        raise CtgxlError(f"{rules_dir} : dossier de règles introuvable")
    rules = load_rules(rules_dir)

    from ..addin.payload import xlwings_module
    from ..addin.pool import default_workers
    from ..addin.server import Settings, create_app
    from ..addin.serving import Limits, run
    from ..addin.worker import configure_log

    xlwings_module()  # the licence key is checked here, before any worker starts
    configure_log()
    workers = workers or default_workers()
    settings = Settings(token=token, origins=all_origins, max_bytes=max_mb * 1024 * 1024,
                        public_url=public_url, rules=rules, workers=workers, queue=queue,
                        body_timeout=body_timeout)
    scheme = "https" if certfile else "http"
    click.echo(f"Serveur du complément ctgxl : {scheme}://{host}:{port}/ "
               f"(manifeste : /manifest.xml ; {plural(workers, 'processus', 'processus')} "
               f"de calcul, {plural(queue, 'place')} en file d'attente ; arrêt : Ctrl+C)", err=True)
    if token is None:
        click.echo("Attention : aucun jeton CTGXL_ADDIN_TOKEN, le serveur n'accepte que la "
                   "machine locale.", err=True)
    run(create_app(settings), host=host, port=port,
        limits=Limits(header_timeout=header_timeout, connections=connections),
        certfile=certfile, keyfile=keyfile)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
