"""The network of actors (``coordination.actor_network``) laid out by networkx and drawn with plotly, offline.

A spring layout with a fixed seed places linked actors near each other and gives the same picture on every run,
so an assembly sees the same network the coordinators prepared.
"""

from __future__ import annotations

import math
from html import escape

import networkx as nx  # type: ignore[import-untyped]
import plotly.graph_objects as go

from core import formatting
from core.charts.motivation import OTHER_COLOR, SECTOR_COLORS
from core.charts.progress import styled
from core.models import SECTORS
from core.participation.coordination import ActorNetwork

LAYOUT_SEED = 12  # Comuna 12
NODE_TRACE = "actores"  # ``meta`` of the node traces, so tests and pages can tell them from the links
EDGE_COLOR = "rgba(120, 128, 140, 0.45)"


def layout(network: ActorNetwork, *, seed: int = LAYOUT_SEED) -> dict[int, tuple[float, float]]:
    """Actor id -> (x, y); strongly linked actors (many shared projects or pacts) pull closer together."""
    graph = nx.Graph()
    graph.add_nodes_from(int(actor_id) for actor_id in network.nodes.actor_id.tolist())
    edges = network.edges
    for source, target, weight in zip(edges.source.tolist(), edges.target.tolist(), edges.weight.tolist(), strict=True):
        graph.add_edge(int(source), int(target), weight=float(weight))
    if graph.number_of_nodes() == 0:
        return {}
    positions = nx.spring_layout(graph, seed=seed, weight="weight", k=1.6 / math.sqrt(graph.number_of_nodes()))
    return {int(node): (float(xy[0]), float(xy[1])) for node, xy in positions.items()}


def _plural(count: int, one: str, many: str) -> str:
    return f"{formatting.number(count)} {one if count == 1 else many}"


def network_figure(network: ActorNetwork, *, seed: int = LAYOUT_SEED, labels: int = 15) -> go.Figure:
    """Nodes coloured by sector (one legend entry per sector), sized by active commitments; links drawn thicker
    the more projects and pacts two actors share. The ``labels`` actors with most commitments are named on the
    chart; every node names itself on hover."""
    positions = layout(network, seed=seed)
    fig = go.Figure()
    edges = network.edges.assign(width=network.edges.weight.map(lambda w: 1.0 if w <= 1 else 2.5 if w <= 3 else 4.5))
    for width in sorted(set(edges.width.tolist())):
        group = edges.loc[edges.width == width]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for edge in group.to_dict("records"):
            (x0, y0), (x1, y1) = positions[int(edge["source"])], positions[int(edge["target"])]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": EDGE_COLOR, "width": float(width)},
            hoverinfo="skip",
            showlegend=False,
            name="Vínculos",
        )
    if len(network.edges):  # lines cannot carry a hover: an invisible point at each link's middle does
        names = dict(zip(network.nodes.actor_id.tolist(), network.nodes.label.tolist(), strict=True))
        middles = []
        for e in network.edges.to_dict("records"):
            (x0, y0), (x1, y1) = positions[int(e["source"])], positions[int(e["target"])]
            text = (
                f"{escape(str(names[e['source']]))} – {escape(str(names[e['target']]))}<br>"
                f"{_plural(int(e['projects']), 'proyecto compartido', 'proyectos compartidos')}, "
                f"{_plural(int(e['pacts']), 'pacto compartido', 'pactos compartidos')}"
            )
            middles.append(((x0 + x1) / 2, (y0 + y1) / 2, text))
        fig.add_scatter(
            x=[m[0] for m in middles],
            y=[m[1] for m in middles],
            mode="markers",
            marker={"size": 8, "color": "rgba(0,0,0,0)"},
            hovertext=[m[2] for m in middles],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            name="Vínculos",
        )
    nodes = network.nodes
    largest = float(nodes.commitments.max()) if len(nodes) else 1.0
    named = set(nodes.nlargest(labels, "commitments").actor_id) if labels > 0 else set()
    sectors = [s for s in SECTORS if s in set(nodes.sector)] + sorted(set(nodes.sector) - set(SECTORS))
    for sector in sectors:
        rows = nodes.loc[nodes.sector == sector]
        fig.add_scatter(
            x=[positions[int(a)][0] for a in rows.actor_id],
            y=[positions[int(a)][1] for a in rows.actor_id],
            mode="markers+text",
            name=escape(str(sector)),
            meta=NODE_TRACE,
            marker={
                "size": [14 + 34 * math.sqrt(c / largest) for c in rows.commitments],
                "color": SECTOR_COLORS.get(str(sector), OTHER_COLOR),
                "line": {"color": "#FFFFFF", "width": 1.5},
                "opacity": 1,
            },
            text=[escape(str(label)) if a in named else "" for a, label in zip(rows.actor_id, rows.label, strict=True)],
            textposition="top center",
            textfont={"size": 14, "color": "#111111", "shadow": "0 0 3px #FFFFFF", "weight": 600},
            customdata=[
                [escape(str(name)), escape(str(sector)), formatting.number(c), formatting.number(p)]
                for name, c, p in zip(rows.actor_name, rows.commitments, rows.pacts, strict=True)
            ],
            hovertemplate="<b>%{customdata[0]}</b><br>Sector: %{customdata[1]}<br>"
            "Compromisos activos: %{customdata[2]}<br>Pactos y alianzas: %{customdata[3]}<extra></extra>",
        )
    if not len(nodes):
        fig.add_annotation(text="No hay actores con compromisos activos.", showarrow=False, x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(dragmode="pan", hovermode="closest")
    return styled(fig, height=640)
