from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jiju.accounts import demo as accounts
from jiju.assessment import demo as departmental
from jiju.assessment.models import EnterpriseYear
from jiju.monitoring import demo as monitoring
from jiju.monitoring.models import Report
from jiju.registry import demo


class Command(BaseCommand):
    help = "生成演示数据：河南省（或全国）开发区目录中的真实开发区，及合成的企业、地块和演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["province", "national"], default="province")
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--enterprises", type=int, default=None, help="企业数（默认省级2万、全国50万）")
        parser.add_argument("--reset", action="store_true", help="先清空已有的开发区、企业和地块")
        parser.add_argument("--if-empty", action="store_true", help="已有数据时跳过，不报错")

    def handle(self, *args, scale, seed, enterprises, reset, if_empty, **options):
        console = Console()
        if reset:
            monitoring.reset()
            departmental.reset()
            demo.reset()
            accounts.reset()
        elif if_empty and demo.Zone.objects.exists():
            console.print("已有演示数据，跳过生成（如需重建请用 jiju demo --reset）")
            self.print_accounts(console)
            return
        started = time.perf_counter()
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
        ) as progress:
            tasks: dict[str, int] = {}

            def step(label: str, done: int, total: int) -> None:
                if label not in tasks:
                    tasks[label] = progress.add_task(label, total=total)
                progress.update(tasks[label], completed=done)

            report = demo.build(accounts.ensure_admin(), scale, seed, enterprises, step)
            if scale == "province":
                accounts.create_accounts(accounts.PROVINCE_ACCOUNTS)
                # The province's office sends, reviews, runs and publishes, so what it makes is made for 河南省.
                office = get_user_model().objects.get(username="province")
                departmental.build(office, Path(settings.DATA_DIR) / "demo" / "部门数据", seed, step)
                monitoring.build(office, seed, step)
        for warning in report.warnings:
            console.print(f"[yellow]提示[/yellow] {warning}")
        counts = {
            m._meta.verbose_name: m.objects.count()
            for m in (demo.Zone, demo.Enterprise, demo.Parcel, demo.Tenancy, EnterpriseYear, Report)
        }
        console.print(
            "，".join(f"{k} {v:,}" for k, v in counts.items()) + f"；用时 {time.perf_counter() - started:.1f} 秒"
        )
        self.print_accounts(console)

    def print_accounts(self, console: Console) -> None:
        table = Table(title=f"演示账号（密码均为 {accounts.PASSWORD}）")
        table.add_column("用户名")
        table.add_column("身份")
        table.add_row("admin", "系统管理员")
        for account in accounts.PROVINCE_ACCOUNTS:
            table.add_row(account.username, account.name)
        console.print(table)
