"""The demo: the project-level wiring that seeds a realistic Thái Nguyên (``seed_demo``).

Each area keeps its own demo data beside its code (``danvan.units.demo``,
``danvan.cases.demo`` …); this app holds what belongs to none of them: the demo
accounts with their published password and TOTP keys, the order in which the areas
seed, and the ``seed_demo`` and ``demo_totp`` commands. It sits at the top of the
dependency graph: it uses every area, and no area imports it.
"""
