#!/usr/bin/env node
// Fills a PostgreSQL database with a bureau-sized ledger for the load benchmark (issue 4):
// one organisation, a tree of 1,000 units (科室, 直属单位, 县区教育局, schools), an admin, a
// leader and one reporter per unit, 20 confirmed plans with their source text, sections and
// 50,000 tasks in the states a live ledger has, each with its lead and co-units, milestones and
// KPIs, a monthly cadence on every plan, and 1,000,000 progress reports over past months with
// their reviews, plus KPI values.
//
//   npm run build
//   node bench/ledger/generate.mjs --database-url postgres://…/bench_ledger [--replace]
//        [--units 1000] [--tasks 50000] [--reports 1000000] [--plans 20]
//
// The schema is the store's own (its migrations); the rows are written with set-based SQL
// (INSERT … SELECT over generate_series), which is what makes a million reports take seconds,
// not an hour of API calls. The store's repositories are not used for the bulk: they write one
// plan or report at a time. Everything is derived from the task's number through hashint4, so
// two runs on the same day give the same ledger.
//
// The story the rows tell, so the lights and the workflow read them as the server would have
// written them: the plans were imported k+ months ago and dispatched in month 0 (k = reports ÷
// reporting tasks, 20 by default); every task that is at work reported each month 0…k−1 three
// days after the month ended (before the 5th, when a monthly report is due) and the office
// accepted it two days later. The current month is open: that is what the benchmark submits.
// A few tasks are overdue (red) or due within a week or lagging behind time (yellow); some had
// one report returned and resubmitted (the extra reports that make the total exact); some have
// their last report returned and not yet resubmitted (red); 待审核 tasks have their last report
// waiting; 已办结 tasks closed on a final report; 中止 tasks were stopped after their last one.
import pg from "pg";
import { migrate, openDatabase } from "@taizhang/store";
import { TEST_SCRYPT, hashPassword } from "@taizhang/server";
import { BENCH_PASSWORD, databaseName, databaseUrl, fail, integerOption, maintenanceUrl, parseOptions, seconds } from "./options.mjs";

const ORGANISATION = "示例市教育局(压测数据)";
/** Sections per plan: five parts (一…五) of ten subsections each. */
const TOP_SECTIONS = 5;
const SUBSECTIONS = 10;
/** Reports carrying KPI values: the latest this many months of each task that has KPIs. */
const KPI_VALUE_MONTHS = 6;

const OFFICES = [
  "办公室", "组织人事科", "基础教育科", "职业教育与成人教育科", "高等教育与教师工作科", "计划财务科", "发展规划科",
  "体育卫生与艺术教育科", "思想政治与德育科", "安全稳定工作科", "政策法规科", "教育督导室", "学生资助管理科",
  "语言文字工作科", "民办教育管理科",
];
const DIRECT_UNITS = [
  "教育科学研究院", "电化教育馆", "招生考试院", "教育装备中心", "学生资助管理中心", "教师发展中心", "教育信息中心",
  "校园安全服务中心", "青少年校外活动中心", "教育基金会", "语言文字测试中心", "教育后勤服务中心",
];
const COUNTIES = ["雁峰区", "石鼓区", "珠晖区", "蒸湘区", "南岳区", "衡阳县", "衡南县", "衡山县", "衡东县", "祁东县", "耒阳市", "常宁市"];
const SCHOOL_KINDS = ["小学", "初级中学", "幼儿园", "高级中学", "九年一贯制学校"];
const PLAN_THEMES = [
  "全市教育工作要点", "基础教育扩优提质行动", "义务教育优质均衡发展", "学前教育普及普惠", "县域普通高中振兴", "职业教育产教融合",
  "教师队伍建设", "教育数字化转型", "校园安全专项整治", "学生体质健康促进", "学生心理健康教育", "课后服务提质增效",
  "“双减”工作", "教育督导评估", "语言文字工作", "民办教育规范发展", "学生资助工作", "教育评价改革", "平安校园建设", "教育经费保障",
];
const TOP_TITLES = ["全面落实立德树人根本任务", "推动基础教育优质均衡发展", "建设高素质专业化教师队伍", "深化教育领域综合改革", "强化教育保障和安全稳定"];
const SUB_TITLES = [
  "加强思想政治教育", "促进学前教育普及普惠", "推进义务教育优质均衡", "提升普通高中办学质量", "做强做优职业教育",
  "加强教师队伍建设", "深化教育评价改革", "推进教育数字化", "强化经费投入保障", "守牢校园安全底线",
];
/** The bureau (市教育局), its 科室 and 直属单位, the county bureaus, and at least one school per county. */
const MIN_UNITS = 1 + OFFICES.length + DIRECT_UNITS.length + 2 * COUNTIES.length;
const CHINESE_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const VERBS = ["推进", "落实", "完善", "加强", "深化", "开展", "实施", "健全", "优化", "扩大", "提升", "规范"];
const OBJECTS = [
  "义务教育优质均衡发展", "课后服务提质增效", "集团化办学改革", "教师“县管校聘”管理改革", "校园食品安全管理", "学生近视综合防控",
  "心理健康教育体系建设", "中小学校幼儿园安全隐患排查", "智慧校园建设", "普惠性学前教育资源供给", "特殊教育融合发展",
  "职业院校“双师型”教师培养", "中考招生制度改革", "校外培训机构监管", "劳动教育实践基地建设", "乡村小规模学校建设",
  "教师培训全员轮训", "思政课一体化建设", "体育美育浸润行动", "学生资助精准认定", "语言文字规范化达标建设", "家校社协同育人机制",
  "教育经费使用绩效评价", "校舍安全保障长效机制", "民办学校年度检查", "教育督导问责机制", "读书行动计划", "科学教育实验区建设",
  "高中阶段多样化发展", "新时代好老师培养", "随迁子女入学保障", "控辍保学动态监测", "校园欺凌防治", "教育信息化应用能力提升",
  "学校卫生健康监测", "中小学作业管理", "学生体质健康监测", "教育系统安全生产", "教育领域信访化解", "县域义务教育质量监测",
];
const KPI_SUBJECTS = ["普惠性幼儿园", "课后服务", "智慧校园", "心理健康教育", "劳动教育"];
const KPI_THINGS = ["公办学位", "标准化实验室", "心理辅导室", "智慧教室", "校外实践基地"];
const KPI_RATIOS = ["大班额", "学生近视新发", "义务教育辍学", "超课时作业", "校园安全事故"];
const NARRATIVES = [
  "本月按计划推进,各项工作有序开展。",
  "已召开专题推进会,明确分工和时间节点,进展顺利。",
  "完成阶段性任务,正在整理佐证材料。",
  "已开展督导检查,发现的问题已督促整改。",
  "本月完成年度目标的阶段任务,下月继续推进。",
  "受工作调整影响进度略有放缓,已制定追赶措施。",
  "组织专项培训两场,覆盖相关学校负责人。",
  "已形成工作方案初稿,正在征求各方意见。",
];

/** SQL for element `index` (0-based, wrapping) of the array parameter `array` ("$4::int[]"). */
function pick(array, index) {
  return `(${array})[(${index}) % cardinality(${array}) + 1]`;
}

const options = parseOptions(process.argv.slice(2), { flags: ["replace"] });
const url = databaseUrl(options);
const unitCount = integerOption(options, "units", 1000, MIN_UNITS);
const taskCount = integerOption(options, "tasks", 50_000);
const reportCount = integerOption(options, "reports", 1_000_000);
const planCount = integerOption(options, "plans", 20);
const tasksPerPlan = Math.ceil(taskCount / planCount);
const tasksPerSubsection = Math.ceil(tasksPerPlan / (TOP_SECTIONS * SUBSECTIONS));

const started = performance.now();
/** Runs one named step and prints how long it took. */
async function step(name, work) {
  const start = performance.now();
  const result = await work();
  const took = seconds(start);
  process.stdout.write(`  ${name.padEnd(34)} ${took.padStart(9)}${typeof result === "string" ? `  ${result}` : ""}\n`);
  return result;
}

process.stdout.write(`生成压测台账:${databaseName(url)}(${unitCount} 个单位,${taskCount} 项任务,${reportCount} 条报送,${planCount} 个计划)\n`);
await step("fresh database", () => freshDatabase(url, options.replace === true));
await step("schema (store migrations)", async () => {
  const handle = await openDatabase({ url });
  try {
    const { applied } = await migrate(handle.db);
    return applied.join(", ");
  } finally {
    await handle.close();
  }
});

const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  await generate(client);
} finally {
  await client.end();
}
process.stdout.write(`完成,共 ${seconds(started)}\n`);

async function generate(db) {
  const query = (text, values) => db.query(text, values);
  // The bureau's calendar day (UTC+8): periods and due dates are counted from it.
  const { rows: [clock] } = await query(`select (now() at time zone 'Asia/Shanghai')::date::text as today`);
  const today = clock.today;

  // When an instant would fall in the future (a run early in a month), it is now, less a little.
  await query(`create function pg_temp.at_bj(day date, hours numeric) returns timestamptz language sql stable as
    $$ select least((day + make_interval(secs => hours * 3600)) at time zone 'Asia/Shanghai', now() - interval '1 hour') $$`);
  await query(`create function pg_temp.month_end(base date, months int) returns date language sql immutable as
    $$ select (base + make_interval(months => months + 1) - interval '1 day')::date $$`);

  const { orgId, adminId } = await step("organisation, units, users", async () => {
    const passwordHash = await hashPassword(BENCH_PASSWORD, TEST_SCRYPT);
    const { rows: [org] } = await query(`insert into organisations (name) values ($1) returning id`, [ORGANISATION]);
    const { rows: [root] } = await query(
      `insert into units (organisation_id, name, kind, aliases, sort_order) values ($1, '市教育局', '其他', '{示例市教育局,市教育局机关}', 0) returning id`,
      [org.id],
    );
    await query(
      `insert into units (organisation_id, parent_id, name, kind, sort_order)
       select $1, $2, name, kind, ord from unnest($3::text[], $4::text[]) with ordinality as u(name, kind, ord)`,
      [org.id, root.id, [...OFFICES, ...DIRECT_UNITS], [...OFFICES.map(() => "科室"), ...DIRECT_UNITS.map(() => "直属单位")]],
    );
    await query(
      `insert into units (organisation_id, name, kind, aliases, sort_order)
       select $1, county || '教育局', '县区教育局', array[county || '教体局'], 100 + ord from unnest($2::text[]) with ordinality as c(county, ord)`,
      [org.id, COUNTIES],
    );
    // Schools under their county's bureau, round robin: 雁峰区第1小学, 石鼓区第1小学, …
    const schools = unitCount - 1 - OFFICES.length - DIRECT_UNITS.length - COUNTIES.length;
    await query(
      `insert into units (organisation_id, parent_id, name, kind, sort_order)
       select $1, county.id, ($2::text[])[i % $3 + 1] || '第' || (i / $3 + 1) || ${pick("$4::text[]", "i / $3")}, '学校', 1000 + i
       from generate_series(0, $5 - 1) i
       join units county on county.organisation_id = $1 and county.name = ($2::text[])[i % $3 + 1] || '教育局'`,
      [org.id, COUNTIES, COUNTIES.length, SCHOOL_KINDS, schools],
    );
    const { rows: [admin] } = await query(
      `insert into users (organisation_id, login, display_name, password_hash, role) values ($1, 'admin', '督查室', $2, 'admin') returning id`,
      [org.id, passwordHash],
    );
    await query(`insert into users (organisation_id, login, display_name, password_hash, role) values ($1, 'leader', '分管局领导', $2, 'leader')`, [org.id, passwordHash]);
    // One reporter per unit, signing in as "u" + the unit's id.
    await query(
      `insert into users (organisation_id, unit_id, login, display_name, password_hash, role)
       select $1, id, 'u' || id, name || '报送员', $2, 'reporter' from units where organisation_id = $1 order by id`,
      [org.id, passwordHash],
    );
    return { orgId: org.id, adminId: admin.id };
  });

  const unitIds = async (kinds) => (await query(`select array_agg(id order by id) as ids from units where organisation_id = $1 and kind = any($2::text[])`, [orgId, kinds])).rows[0].ids;
  const offices = await unitIds(["科室", "直属单位"]);
  const counties = await unitIds(["县区教育局"]);
  const locals = await unitIds(["县区教育局", "学校"]);

  // Statuses come from a hash of the task's number (per mille): 1% 待交办, 1% 已交办, 1% 已签收,
  // 70% 办理中, 12% 待审核, 12% 已办结, 3% 中止. The last four have reports.
  const statusOf = `case when h < 10 then '待交办' when h < 20 then '已交办' when h < 30 then '已签收' when h < 730 then '办理中'
    when h < 850 then '待审核' when h < 970 then '已办结' else '中止' end`;
  const hashed = `select n, (hashint4(n) & 2147483647) % 1000 as h, (hashint4(n + 7777777) & 2147483647) % 100 as h2 from generate_series(0, $1 - 1) n`;
  const { rows: [{ reporting }] } = await query(`select count(*)::int as reporting from (${hashed}) t where h >= 30`, [taskCount]);
  const months = Math.floor(reportCount / Math.max(reporting, 1));
  const extra = reportCount - months * reporting;
  if (months < 2) fail(`报送数 ${reportCount} 太少:每项在办任务至少要有 2 条(共 ${reporting} 项在办任务)。`);
  const { rows: [{ base }] } = await query(`select (date_trunc('month', $1::date) - make_interval(months => $2))::date::text as base`, [today, months]);
  process.stdout.write(`  (今天 ${today};${reporting} 项任务有报送,每项 ${months} 个月,自 ${base.slice(0, 7)} 起;另有 ${extra} 条被退回后重报)\n`);

  await step("task plan (temporary table)", () =>
    query(
      `create temp table gen_tasks as
       with hashed as (${hashed}),
       stated as (
         select n, h, h2, n / $2 as plan_no, n % $2 as ordinal, ${statusOf} as status from hashed
       ),
       placed as (
         select s.*, s.status in ('办理中', '待审核', '已办结', '中止') as reporting,
           (s.ordinal / $3) / ${SUBSECTIONS} as top_no, (s.ordinal / $3) % ${SUBSECTIONS} as sub_no, s.ordinal % $3 + 1 as number,
           -- 40% led by a 科室 or 直属单位, the rest by a county bureau or a school.
           case when h2 % 10 < 4 then ${pick("$4::int[]", "n")} else ${pick("$6::int[]", "n * 7")} end as lead_unit_id,
           ${pick("$5::int[]", "n")} as county
         from stated s
       ),
       dated as (
         select p.*,
           case when p.status = '待交办' then null
                when p.reporting then $7::date + (p.plan_no % 20)
                else $8::date - (3 + p.h % 8) end as dispatch_day,
           case when p.h2 = 7 then null
                when p.h2 < 4 and p.status not in ('已办结', '中止') then $8::date - (1 + p.h % 60)
                when p.h2 between 4 and 6 and p.status not in ('已办结', '中止') then $8::date + (p.h % 8)
                else $8::date + 30 + (p.h % 200) end as due_date,
           p.status = '办理中' and p.h2 between 40 and 49 as lagging,
           p.status = '办理中' and p.h2 between 8 and 9 as last_returned,
           -- Co-units: a county bureau (another one when it leads) and a 科室 other than the lead.
           case when p.county = p.lead_unit_id then ${pick("$5::int[]", "p.n + 1")} else p.county end as co1_unit_id,
           ${pick("$4::int[]", "p.n + 5")} as co2_unit_id
         from placed p
       )
       select d.*,
         case when d.reporting and row_number() over (partition by d.reporting order by hashint4(d.n + 99), d.n) <= $9 then d.n % ($10 - 1) end as returned_month,
         case when d.reporting then pg_temp.at_bj(pg_temp.month_end($7::date, $10 - 1) + 3, 9 + d.n % 8) end as last_submitted_at
       from dated d`,
      [taskCount, tasksPerPlan, tasksPerSubsection, offices, counties, locals, base, today, extra, months],
    ),
  );

  await step("plan text (lines, offsets)", async () => {
    await query(
      `create temp table gen_plans as
       select p as plan_no, ${pick("$2::text[]", "p")} || case when p >= cardinality($2::text[]) then '(' || (p / cardinality($2::text[]) + 1) || ')' else '' end as theme,
         'bench-plan-' || lpad((p + 1)::text, 3, '0') || '.txt' as source_name,
         '示市教发〔' || extract(year from $3::date) || '〕' || (p + 1) || '号' as doc_number
       from generate_series(0, $1 - 1) p`,
      [planCount, PLAN_THEMES, base],
    );
    // What each task's line says: its title, the two time nodes, its targets and its units.
    const kpiText = (kind) => `case ${kind}
        when 0 then ${pick("$3::text[]", "g.n")} || '覆盖率达到' || (80 + g.h % 20) || '%以上'
        when 1 then '新增' || ${pick("$4::text[]", "g.n")} || (10 + g.h % 490) || '个'
        else ${pick("$6::text[]", "g.n")} || '比例控制在' || (1 + g.h % 10) || '%以内' end`;
    await query(
      `create temp table gen_task_text as
       select g.n, ${pick("$1::text[]", "g.h")} || ${pick("$2::text[]", "g.n")} as title,
         to_char(m1.day, 'YYYY"年"FMMM"月底"') as m1_quote, m1.day as m1_day,
         to_char(g.due_date, 'YYYY"年"FMMM"月"FMDD"日"') as m2_quote,
         case when g.h2 % 5 < 2 then ${kpiText("g.n % 3")} end as kpi1_quote,
         case when g.h2 % 10 = 0 then ${kpiText("(g.n + 1) % 3")} end as kpi2_quote,
         lead.name as lead_name, co1.name as co1_name, co2.name as co2_name
       from gen_tasks g
       cross join lateral (select (date_trunc('month', coalesce(g.dispatch_day, $5::date)) + interval '7 months' - interval '1 day')::date as day) m1
       join units lead on lead.id = g.lead_unit_id
       join units co1 on co1.id = g.co1_unit_id
       join units co2 on co2.id = g.co2_unit_id`,
      [VERBS, OBJECTS, KPI_SUBJECTS, KPI_THINGS, today, KPI_RATIOS],
    );
    // One row per line of each plan's text: title, part headings, subsection headings, tasks.
    await query(
      `create temp table gen_lines as
       with raw as (
         select plan_no, -1 as top_no, -1 as sub_no, -1 as ordinal, 'title' as kind, null::int as n,
           '关于印发《' || extract(year from $1::date) || '年' || theme || '重点任务分解方案》的通知' as text
         from gen_plans
         union all
         select distinct plan_no, top_no, -1, -1, 'part', null::int, ($2::text[])[top_no + 1] || '、' || ${pick("$3::text[]", "top_no")} from gen_tasks
         union all
         select distinct plan_no, top_no, sub_no, -1, 'subsection', null::int,
           '（' || ($2::text[])[sub_no + 1] || '）' || ${pick("$4::text[]", "sub_no + plan_no")} from gen_tasks
         union all
         select g.plan_no, g.top_no, g.sub_no, g.ordinal, 'task', g.n,
           g.number || '.' || t.title || '。' || t.m1_quote || '前完成阶段性任务'
             || coalesce('，' || t.kpi1_quote, '') || coalesce('，' || t.kpi2_quote, '')
             || case when t.m2_quote is null then '，持续推进' else '；' || t.m2_quote || '前全面完成' end
             || '。（牵头单位：' || t.lead_name || '；配合单位：' || t.co1_name || '、' || t.co2_name || '）'
         from gen_task_text t join gen_tasks g using (n)
       ),
       numbered as (
         select raw.*, row_number() over (partition by plan_no order by top_no, sub_no, ordinal)::int as line_no from raw
       )
       select numbered.*,
         coalesce(sum(length(text) + 1) over (partition by plan_no order by line_no rows between unbounded preceding and 1 preceding), 0)::int as start_offset
       from numbered`,
      [base, CHINESE_NUMERALS, TOP_TITLES, SUB_TITLES],
    );
    await query(`create index on gen_lines (n)`);
    await query(`analyze gen_tasks; analyze gen_lines; analyze gen_task_text`);
  });

  const importedAt = `pg_temp.at_bj('${base}'::date - 5, 15)`;
  await step("plans, versions, sections, cadences", async () => {
    await query(
      `insert into plans (organisation_id, source_name, created_by, created_at, updated_at)
       select $1, source_name, $2, ${importedAt}, ${importedAt} from gen_plans order by plan_no`,
      [orgId, adminId],
    );
    await query(
      `insert into plan_versions (plan_id, version, title, issuer, doc_number, year, date, source_name, source_text, source_hash, format,
         body_start, body_end, status, confirmed_by, confirmed_at, created_by, created_at)
       select p.id, 1, title.text, '示例市教育局', gp.doc_number, extract(year from $3::date)::int, $3::date - 7, gp.source_name,
         body.text, encode(sha256(convert_to(body.text, 'UTF8')), 'hex'), 'text',
         length(title.text) + 1, length(body.text), '已确认', $2, ${importedAt}, $2, ${importedAt}
       from gen_plans gp
       join plans p on p.organisation_id = $1 and p.source_name = gp.source_name
       join gen_lines title on title.plan_no = gp.plan_no and title.kind = 'title'
       join (select plan_no, string_agg(text, E'\\n' order by line_no) as text from gen_lines group by plan_no) body on body.plan_no = gp.plan_no`,
      [orgId, adminId, base],
    );
    await query(`update plans set current_version_id = v.id from plan_versions v where v.plan_id = plans.id and plans.organisation_id = $1`, [orgId]);
    await query(`create temp table gen_plan_ids as select gp.plan_no, p.id as plan_id, p.current_version_id as version_id
      from gen_plans gp join plans p on p.organisation_id = $1 and p.source_name = gp.source_name`, [orgId]);
    // A part ends where its last task ends, a subsection where its own last task does.
    await query(
      `insert into sections (plan_version_id, ordinal, path, title, start_offset, end_offset, line)
       select ids.version_id, row_number() over (partition by l.plan_no order by l.line_no) - 1,
         case when l.kind = 'part' then ($1::text[])[l.top_no + 1] else ($1::text[])[l.top_no + 1] || '/(' || ($1::text[])[l.sub_no + 1] || ')' end,
         substr(l.text, case when l.kind = 'part' then 3 else 4 end), l.start_offset,
         case when l.kind = 'part' then l.part_end else l.subsection_end end, l.line_no
       from (
         select gl.*,
           max(start_offset + length(text)) over (partition by plan_no, top_no) as part_end,
           max(start_offset + length(text)) over (partition by plan_no, top_no, sub_no) as subsection_end
         from gen_lines gl where kind <> 'title'
       ) l
       join gen_plan_ids ids using (plan_no)
       where l.kind in ('part', 'subsection')
       order by l.plan_no, l.line_no`,
      [CHINESE_NUMERALS],
    );
    await query(
      `insert into cadences (organisation_id, plan_id, kind, created_by, created_at)
       select $1, plan_id, 'monthly', $2, ${importedAt} from gen_plan_ids order by plan_no`,
      [orgId, adminId],
    );
    return `${planCount} 个计划`;
  });

  await step("tasks", async () => {
    const version = `case g.status when '待交办' then 1 when '已交办' then 2 when '已签收' then 3
        else 4 + 2 * $3 + case g.status when '待审核' then -1 when '中止' then 1 else 0 end end
      + case when g.returned_month is not null then 2 else 0 end`;
    const closedAt = `least(g.last_submitted_at + interval '2 days', now() - interval '30 minutes')`;
    await query(
      `insert into tasks (organisation_id, plan_id, plan_version_id, section_id, ordinal, number, path, title, measures,
         start_offset, end_offset, line, title_start, title_end, lead_unit_id, status, due_date, version, created_at, updated_at,
         dispatched_at, signed_at, closed_at, stopped_at, stop_reason)
       select $1, ids.plan_id, ids.version_id, s.id, g.ordinal, g.number::text, s.path || '/' || g.number, t.title, 1 + g.h % 3,
         l.start_offset, l.start_offset + length(l.text), l.line_no, l.start_offset + length(g.number::text) + 1,
         l.start_offset + length(g.number::text) + 1 + length(t.title), g.lead_unit_id, g.status, g.due_date, ${version},
         ${importedAt},
         case when g.status = '待交办' then ${importedAt}
              when g.status in ('已交办', '已签收') then pg_temp.at_bj(g.dispatch_day + 1, 10)
              when g.status = '已办结' then ${closedAt}
              when g.status = '中止' then least(g.last_submitted_at + interval '5 days', now() - interval '20 minutes')
              when g.status = '待审核' then g.last_submitted_at
              else ${closedAt} end,
         case when g.dispatch_day is not null then pg_temp.at_bj(g.dispatch_day, 9) end,
         case when g.status not in ('待交办', '已交办') then pg_temp.at_bj(g.dispatch_day + 1, 10) end,
         case when g.status = '已办结' then ${closedAt} end,
         case when g.status = '中止' then least(g.last_submitted_at + interval '5 days', now() - interval '20 minutes') end,
         case when g.status = '中止' then '因政策调整,该项工作并入其他任务统筹推进' end
       from gen_tasks g
       join gen_task_text t using (n)
       join gen_lines l on l.n = g.n
       join gen_plan_ids ids on ids.plan_no = g.plan_no
       join sections s on s.plan_version_id = ids.version_id and s.path = ($2::text[])[g.top_no + 1] || '/(' || ($2::text[])[g.sub_no + 1] || ')'
       order by g.n`,
      [orgId, CHINESE_NUMERALS, months],
    );
    await query(`create temp table gen_task_ids as select g.n, t.id as task_id from gen_tasks g
      join gen_plan_ids ids on ids.plan_no = g.plan_no join tasks t on t.plan_id = ids.plan_id and t.ordinal = g.ordinal`);
    await query(`create unique index on gen_task_ids (n)`);
    return `${taskCount} 项`;
  });

  await step("task units, milestones, KPIs", async () => {
    // The lead first, then the co-units, each at the place the line names it.
    await query(
      `insert into task_units (task_id, unit_id, name, role, via, start_offset, end_offset, created_at)
       select ids.task_id, u.unit_id, u.name, u.role, 'note', l.start_offset + u.at, l.start_offset + u.at + length(u.name), ${importedAt}
       from gen_tasks g
       join gen_task_ids ids using (n)
       join gen_task_text t using (n)
       join gen_lines l on l.n = g.n
       cross join lateral (values
         (1, g.lead_unit_id, t.lead_name, '牵头', strpos(l.text, '（牵头单位：') + 5),
         (2, g.co1_unit_id, t.co1_name, '配合', strpos(l.text, '；配合单位：') + 5),
         (3, g.co2_unit_id, t.co2_name, '配合', length(l.text) - 1 - length(t.co2_name))
       ) as u(ord, unit_id, name, role, at)
       order by ids.task_id, u.ord`,
    );
    await query(
      `insert into milestones (task_id, due_date, quote, start_offset, end_offset, completed_at, created_at)
       select ids.task_id, m.day, m.quote, l.start_offset + strpos(l.text, m.quote) - 1, l.start_offset + strpos(l.text, m.quote) - 1 + length(m.quote),
         m.completed_at, ${importedAt}
       from gen_tasks g
       join gen_task_ids ids using (n)
       join gen_task_text t using (n)
       join gen_lines l on l.n = g.n
       cross join lateral (values
         (1, t.m1_day, t.m1_quote, case when g.reporting and t.m1_day < $1::date then pg_temp.at_bj(t.m1_day - 3, 17) end),
         (2, g.due_date, t.m2_quote, case when g.status = '已办结' then least(g.last_submitted_at + interval '2 days', now() - interval '30 minutes') end)
       ) as m(ord, day, quote, completed_at)
       where m.day is not null
       order by ids.task_id, m.ord`,
      [today],
    );
    await query(
      `insert into kpis (task_id, quote, value, unit, bound, direction, start_offset, end_offset, created_at)
       select ids.task_id, k.quote, substring(k.quote from '\\d+')::double precision,
         case when k.quote like '%个' then '个' else '%' end,
         case when k.quote like '%以上' then 'floor' when k.quote like '%以内' then 'ceiling' else 'level' end,
         case when k.quote like '%以内' then 'at_most' else 'at_least' end,
         l.start_offset + strpos(l.text, k.quote) - 1, l.start_offset + strpos(l.text, k.quote) - 1 + length(k.quote), ${importedAt}
       from gen_task_text t
       join gen_task_ids ids using (n)
       join gen_lines l on l.n = t.n
       cross join lateral (values (1, t.kpi1_quote), (2, t.kpi2_quote)) as k(ord, quote)
       where k.quote is not null
       order by ids.task_id, k.ord`,
    );
  });

  {
    await step("reports", async () => {
      // One report per month per task at work, accepted two days later; the last month's is the
      // one the task's status is about (waiting, final, or returned).
      const percent = `case when g.status = '已办结' and m.i = $2 - 1 then 100
        else greatest(1, least(95, round(100.0 * (pg_temp.month_end($1::date, m.i) - g.dispatch_day)
          / greatest(1, coalesce(g.due_date, g.dispatch_day + 900) - g.dispatch_day) * case when g.lagging then 0.45 else 1 end)))::int end`;
      const regular = await query(
        `insert into reports (task_id, period, period_end, status, percent, narrative, submitted_by, submitted_at, idempotency_key,
           review_state, reviewed_by, reviewed_at, review_note, final)
         select ids.task_id, to_char($1::date + make_interval(months => m.i), 'YYYY-MM'), pg_temp.month_end($1::date, m.i),
           case when m.final then '已完成' when g.lagging then '进度滞后' else '正常推进' end, ${percent},
           ${pick("$4::text[]", "g.n + m.i")}, reporter.id, sub.at, 'gen-' || ids.task_id || '-' || m.i,
           m.review_state, case when m.review_state <> '待审核' then $3::int end,
           case when m.review_state <> '待审核' then least(sub.at + interval '2 days', now() - interval '30 minutes') end,
           case when m.review_state = '已退回' then '请补充佐证材料后重新报送。' end, m.final
         from gen_tasks g
         join gen_task_ids ids using (n)
         join users reporter on reporter.unit_id = g.lead_unit_id and reporter.role = 'reporter'
         cross join lateral (
           select i, i = $2 - 1 and g.status = '已办结' as final,
             case when i = $2 - 1 and g.status = '待审核' then '待审核' when i = $2 - 1 and g.last_returned then '已退回' else '已通过' end as review_state
           from generate_series(0, $2 - 1) i
         ) m
         cross join lateral (select pg_temp.at_bj(pg_temp.month_end($1::date, m.i) + 3, 9 + g.n % 8) as at) sub
         where g.reporting
         order by sub.at, ids.task_id`,
        [base, months, adminId, NARRATIVES],
      );
      // The report returned (with a reason) two days before the one that was accepted in its place.
      const returned = await query(
        `insert into reports (task_id, period, period_end, status, percent, narrative, submitted_by, submitted_at, idempotency_key,
           review_state, reviewed_by, reviewed_at, review_note, final)
         select ids.task_id, to_char($1::date + make_interval(months => g.returned_month), 'YYYY-MM'), pg_temp.month_end($1::date, g.returned_month),
           '正常推进', 10, '按计划推进。', reporter.id, pg_temp.at_bj(pg_temp.month_end($1::date, g.returned_month) + 1, 9),
           'gen-' || ids.task_id || '-' || g.returned_month || '-returned', '已退回', $2,
           pg_temp.at_bj(pg_temp.month_end($1::date, g.returned_month) + 2, 10), '进展描述过于笼统,请补充具体数据和佐证材料。', false
         from gen_tasks g
         join gen_task_ids ids using (n)
         join users reporter on reporter.unit_id = g.lead_unit_id and reporter.role = 'reporter'
         where g.returned_month is not null
         order by 8, ids.task_id`,
        [base, adminId],
      );
      return `${regular.rowCount + returned.rowCount} 条`;
    });

    await step("KPI values", async () => {
      // The latest months' reports carry a value for each KPI, moving toward the target.
      const { rowCount } = await query(
        `insert into kpi_values (report_id, kpi_id, value)
         select r.id, k.id, round((case when k.direction = 'at_most'
             then k.value * (2 - m.share) else k.value * (0.6 + 0.4 * m.share) end)::numeric, 1)
         from reports r
         join kpis k on k.task_id = r.task_id
         cross join lateral (select ((extract(year from r.period_end) * 12 + extract(month from r.period_end))
           - (extract(year from $1::date) * 12 + extract(month from $1::date)) + 1) / $2::numeric as share) m
         where r.period_end > pg_temp.month_end($1::date, $2::int - 1 - $3::int) and r.review_state <> '已退回'
         order by r.id, k.id`,
        [base, months, KPI_VALUE_MONTHS],
      );
      return `${rowCount} 条`;
    });
  }

  await step("audit row, vacuum analyze", async () => {
    await query(
      `insert into audit_log (organisation_id, actor_id, action, entity, entity_id, after) values ($1, null, 'bench.generate', 'organisations', $1, $2)`,
      [orgId, JSON.stringify({ units: unitCount, tasks: taskCount, reports: reportCount, plans: planCount, today, firstMonth: base })],
    );
    await query(`vacuum analyze`);
  });

  const { rows } = await query(`select status, count(*)::int as tasks from tasks group by status order by tasks desc`);
  process.stdout.write(`  任务状态:${rows.map((row) => `${row.status} ${row.tasks}`).join(",")}\n`);
  const { rows: [sizes] } = await query(`select pg_size_pretty(pg_database_size(current_database())) as size,
    (select count(*) from reports)::int as reports, (select count(*) from kpi_values)::int as kpi_values, (select count(*) from units)::int as units`);
  process.stdout.write(`  单位 ${sizes.units},报送 ${sizes.reports},指标值 ${sizes.kpi_values},数据库 ${sizes.size}\n`);
}

/** Creates the database, or refuses to touch one that already holds a ledger unless told to replace it. */
async function freshDatabase(target, replace) {
  const name = databaseName(target);
  const admin = new pg.Client({ connectionString: maintenanceUrl(target) });
  await admin.connect();
  try {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    const { rowCount } = await admin.query(`select 1 from pg_database where datname = $1`, [name]);
    if (rowCount > 0) {
      if (!replace) {
        const probe = new pg.Client({ connectionString: target });
        await probe.connect();
        const { rows: [found] } = await probe.query(`select to_regclass('tasks') is not null as ledger`);
        await probe.end();
        if (found.ledger) fail(`数据库 ${name} 里已有台账数据。要重新生成,请加 --replace(会删除整个数据库 ${name} 后重建)。`);
        return "已存在(空库)";
      }
      await admin.query(`drop database ${quoted} with (force)`);
    }
    await admin.query(`create database ${quoted}`);
    return replace && rowCount > 0 ? "已删除并重建" : "已创建";
  } finally {
    await admin.end();
  }
}
