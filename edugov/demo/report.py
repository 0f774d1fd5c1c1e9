"""The demo district's 2024 rule-of-law report, written for the demo (not copied from any real
report): every number in it is a figure key, filled from the records when the report is made.
Approved and published in March 2025; the 2025 report is a draft started from it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from edugov.accounts.models import Organisation, User
from edugov.reports import actions

BODY_2024 = """# 年度推进法治建设的主要举措和成效
## 坚持依法决策，完善制度体系
区教委把法治要求贯穿教育治理全过程。年初公布重大行政决策事项目录{{major_decisions.catalogued}}，全年作出重大行政决策{{major_decisions.decided}}，其中经公开征求意见的{{major_decisions.public_participation}}，均经专家论证、风险评估、合法性审查和主任办公会集体讨论后作出。制定行政规范性文件{{normative_docs.issued}}，草案公开征求意见收到意见建议{{normative_docs.public_comments}}并逐条公开反馈，合法性审核通过{{normative_docs.reviewed}}，按时报送区政府备案率{{normative_docs.filed_in_time_rate}}；开展规范性文件清理，废止{{normative_docs.repealed}}，年末现行有效规范性文件{{normative_docs.in_force}}，目录向社会公布。法律顾问全年出具书面法律意见{{legal_adviser.opinions}}，意见采纳率{{legal_adviser.followed_rate}}；签订合同前全部经合法性审查，审查合同{{contracts.reviewed}}、签订{{contracts.signed}}。
## 优化政务服务，依法实施行政许可
区教委纳入目录管理的政务服务事项共{{services.items.total}}，其中{{services.items.in_center}}在区政务服务中心“一窗综办”。每个事项都公布了办事指南、材料清单和办理流程，材料不全的一次性告知，补正期间不计时限；举办者无犯罪记录、个人征信等证明改为告知承诺，并按月公开抽取样本核查。全年受理行政许可申请{{licensing.cases.total}}，办结率{{licensing.cases.completion_rate}}；办结民办学校和校外培训机构事项{{licensing.private_school.completed}}。办结后请申请人“一事一评”，好差评主动评价率{{services.reviews.active_rate}}，差评一律转科室整改并回访。
义务教育入学实行“入学一件事”网上办理：政策、报名、证件上传、审核进度和录取结果都在一个平台完成，民办学校和公办学校同步招生，超额报名按公开可复核的电脑随机方式录取。全年在线报名{{enrollment.applications.total}}，入学服务满意率{{enrollment.satisfaction.rate}}，其中“非常满意”{{enrollment.satisfaction.very_satisfied_rate}}。
运用法治化手段优化营商环境：向民办学校、幼儿园和校外培训机构宣传税收减免、社保就业等政策{{business_env.outreach}}，覆盖民办学校{{business_env.reached.private_schools}}、民办幼儿园{{business_env.reached.kindergartens}}、校外培训机构{{business_env.reached.training_institutions}}；免费组织举办者、教师、保育员和保安员业务培训{{business_env.trainings}}，培训{{business_env.trainees}}，其中举办者{{business_env.trainees.founders}}、教师{{business_env.trainees.teachers}}、保育员{{business_env.trainees.nursery}}、保安员{{business_env.trainees.guards}}。
## 推进“大综合一体化”行政执法改革，严格规范公正文明执法
对照市级行政执法事项目录，认领执法事项{{enforcement.items.claimed}}，执法人员全部在执法平台持证办案。行政检查实行“双随机、一公开”，抽取对象和执法人员的过程公开可验证，做到“管住风险、无事不扰”。
围绕校外培训治理，全年开展“双减”专项督查{{enforcement.special_campaigns}}，检查校外培训机构{{enforcement.institution_inspections}}，会同市场监管、公安等部门联合执法{{enforcement.joint_operations}}，出动执法人员{{enforcement.personnel_deployed}}。检查中发现无证无照办学{{enforcement.findings.no_permit_no_license}}、有照无证或超许可范围经营{{enforcement.findings.beyond_permit}}，约谈机构举办者或负责人{{enforcement.interviews}}，开具责令整改通知书{{enforcement.rectification_notices}}，作出行政处罚决定{{enforcement.penalties}}。
行政执法公示、执法全过程记录、重大执法决定法制审核三项制度全面落实，每一项执法行为均留痕可查。
按照“领导包片、科室联校”要求，委领导和联系科室全年到校走访{{liaison.visits}}，覆盖学校{{liaison.schools_visited}}，占全区学校的{{liaison.visit_coverage_rate}}，走访发现问题{{liaison.findings}}，已整改{{liaison.findings_rectified}}。
制定年度行政执法人员学习培训计划，以集中学习为主、自学为辅，全年组织集中学习、案例交流、文书点评和案例讨论{{enforcement.training.sessions}}，执法人员累计参训{{enforcement.training.hours}}；持证执法人员{{enforcement.training.officers}}，其中达到年度学时要求的{{enforcement.training.officers_met_hours}}，年度考核{{enforcement.training.assessed}}，考核合格率{{enforcement.training.passed_rate}}。
## 畅通诉求渠道，依法化解矛盾纠纷
督导服务热线自3月开通以来，共受理群众来电、来信和网上反映{{petitions.received}}，其中属于教育部门职责的有效诉求{{petitions.valid}}，已办结{{petitions.completed}}，办结率{{petitions.completion_rate}}，其余{{petitions.in_progress}}正在办理。热线实行“3233”工作机制：3个工作日内办结，与诉求人电话沟通不少于2次，重点诉求当面约谈，办结前向诉求人反馈。每月发布能效通报，对各承办单位的办结率、按时率和满意率排名。
每月由学校填报风险隐患和矛盾纠纷排查台账{{disputes.screenings}}，对排查出的家校纠纷及时介入调解：全年调解家校纠纷{{disputes.mediations}}，达成调解协议{{disputes.agreements}}，调解成功率{{disputes.agreement_rate}}，其中邀请社区共同参与的{{disputes.with_community}}，协议履行情况回访{{disputes.followed_up}}，学校、家庭、社区三方联动化解矛盾。各校通过家委会、家长学校等渠道召开家长会议{{home_school.meetings}}，到会家长{{home_school.families_present}}；收集家长意见建议{{home_school.opinions}}，已研究办理并反馈{{home_school.opinions_answered}}，反馈率{{home_school.answer_rate}}。
## 依法接受监督，做好行政复议应诉
全年被申请行政复议{{reconsideration.cases}}、被提起行政诉讼{{litigation.cases}}，行政复议答复按期提交率{{reconsideration.answered_in_time_rate}}，答复和答辩均附全过程记录证据材料，复议机关和法院可自行核验。复议纠错{{reconsideration.corrected}}，已按复议决定重新作出并改进相关工作；行政机关负责人出庭应诉率{{litigation.head_appearance_rate}}。
向社会公布行政执法监督举报电话、通信地址和网上举报入口，举报由政策法规科和驻区教委纪检监察组受理，被举报人员所在单位一律回避。全年收到行政执法监督举报{{misconduct_reports.received}}，受理{{misconduct_reports.accepted}}，移送区司法局{{misconduct_reports.forwarded}}，经核查属实{{misconduct_reports.substantiated}}，已向举报人反馈处理结果{{misconduct_reports.told}}，按期反馈率{{misconduct_reports.told_in_time_rate}}。主动邀请纪检监察组列席会议{{misconduct_reports.discipline_meetings}}，“三重一大”事项决策和执行情况向纪检监察组通报{{misconduct_reports.decisions_notified}}。
## 推进政务公开，深化法治宣传
通过政府网站、微信公众号和融媒体问政等渠道发布各类信息{{publication.items}}，答复热线和网络问政咨询{{publication.inquiries}}，帮助群众解决急难愁盼问题{{publication.problems_solved}}。受理政府信息公开申请{{ogi.requests}}，按期答复率{{ogi.replied_in_time_rate}}，政府信息公开工作年度报告按时发布。
## 推进依法治校，配齐配强法治副校长
全区聘任法治副校长和法治辅导员{{legal_vp.appointed}}（其中兼任法治辅导员{{schools.charters.counsellors}}），公办学校法治副校长配备率{{legal_vp.public_school_coverage}}，每名法治副校长每学年到校开展法治教育不少于{{legal_vp.class_hours.min_required}}；聘任、调整和授课情况全部在系统中登记，学校每学年对法治副校长进行评价并反馈派出单位。
各校修订完善学校章程，全年报送章程修订稿{{schools.charters.revisions_submitted}}，经区教委核准{{schools.charters.approved}}，核准后公布{{schools.charters.published}}。各校全年开设法治课{{schools.charters.lessons}}，每学期开课不少于两节的学校占{{schools.charters.lesson_minimum_rate}}；宪法宣传周期间，{{schools.charters.constitution_week_schools}}学校开展主题活动，其中组织师生参加“宪法晨读”的{{schools.charters.morning_reading_schools}}，参与师生{{schools.charters.constitution_week_participants}}。
## 树立依法治校示范，丰富法治教育形式
{{demo_schools.cases_adopted}}依法治校示范校典型案例被市教委采用并推广，{{demo_schools.passed_material_review}}学校的示范校申报通过资料审查。课程库中有“教师+民警”双师公开课{{legal_education.courses.dual_teacher}}。全区学生参加宪法知识网络答题{{legal_education.constitution_quiz.participants}}，参与率{{legal_education.constitution_quiz.participation_rate}}；“学宪法讲宪法”活动{{legal_education.contest.city_finalists}}学生进入市级决赛，获一等奖{{legal_education.contest.first_prizes}}、二等奖{{legal_education.contest.second_prizes}}。法治漫画比赛收到学生作品{{legal_education.comics.submissions}}，推送市级评选{{legal_education.comics.forwarded}}，获市级二等奖{{legal_education.comics.second_prizes}}、三等奖{{legal_education.comics.third_prizes}}；{{legal_education.course_competition.teachers}}教师参加市级法治课例评选，获一等奖{{legal_education.course_competition.first_prizes}}。
## 发挥专门学校矫治作用
专门学校全年矫治离校学生{{special_school.released}}，离校时间最长的已跟踪{{special_school.longest_months_since_release}}，跟踪回访中有新的违法违纪行为的{{special_school.reoffended}}，矫治率{{special_school.correction_rate}}。
# 党政主要负责人履行推进法治建设第一责任人职责情况
区委教育工委书记、区教委主任主持理论学习中心组学习{{leadership.central_group_sessions}}；全年召开中心组、工委会、干部职工会和书记（校长）专题会学习{{leadership.study_sessions}}，参学率{{leadership.attendance_rate}}，落实“第一议题”制度{{leadership.first_topic_sessions}}，以法律法规为学习内容的{{leadership.law_study_sessions}}。委领导带头深入中小学、幼儿园宣讲，全系统开展习近平法治思想、党的二十届三中全会精神进校园宣讲{{study.lectures}}。区委教育工委在{{leadership.quarters_heard}}听取执法、信访和依法治校等工作汇报{{leadership.quarterly_reports}}；主要负责人向区委全面依法治区委员会述法{{leadership.legal_accounts}}，对重大执法决定坚持先审核后决定。
# 存在的不足和原因
一是基层学校依法治校能力还不均衡，部分学校制度建设和执行存在差距；二是执法队伍力量与全区校外培训机构数量相比仍显不足，综合执法能力有待提升。
# 下一年度推进法治建设的主要安排
一是继续推进执法规范化建设，加强执法人员培训和考核；二是深化校外培训常态化监管，提高检查的精准度；三是完善热线诉求办理机制，把“解决率”作为衡量办理质量的首要标准。
# 其他需要报告的事项
无。
"""


def generate(bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    staff, reviewer, leader = users["head.policy"], users["reviewer"], users["leader"]

    def at(day: str, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))

    report = actions.report_create(actor=staff, organisation=bureau, year=2024, body=BODY_2024,
                                   at=at("2025-02-20", 9))
    actions.report_submit(actor=staff, report=report, at=at("2025-03-03", 10))
    actions.report_legal_review(actor=reviewer, report=report, agree=True, note="表述符合法律规定，数据口径一致。",
                                at=at("2025-03-10", 15))
    actions.report_approve(actor=leader, report=report, agree=True, note="同意发布。", at=at("2025-03-20", 10))
    actions.report_publish(actor=staff, report=report, at=at("2025-03-25", 9))
    actions.report_create(actor=staff, organisation=bureau, year=2025, at=at("2026-01-15", 9))
    return {"reports": 2}
