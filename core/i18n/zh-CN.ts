/**
 * Domain messages in Simplified Chinese, the default language. The keys are the error codes and
 * domain names of core/; `{name}` is filled from the error's own fields. English must have every key
 * (the compiler checks en.ts against this file's type; a test checks placeholders match).
 */
export const zhCN = {
  'level.village': '村',
  'level.town': '乡镇',
  'level.county': '县',

  'status.accepted': '已受理',
  'status.awaitingMaterials': '待补材料',
  'status.forwarded': '审核中',
  'status.approved': '已批准',
  'status.rejected': '未予批准',
  'status.completed': '已办结',
  'status.withdrawn': '已撤回',

  'event.created': '受理',
  'event.materialsChecked': '核对材料',
  'event.materialsMissing': '一次性告知缺件',
  'event.returnedForMaterials': '退回补充材料',
  'event.materialsSupplied': '补齐材料',
  'event.forwarded': '转报上级',
  'event.approved': '批准',
  'event.rejected': '不予批准',
  'event.resultHandedOver': '送达办理结果',
  'event.withdrawn': '申请人撤回',
  'event.note': '备注',
  'event.foreign': '较新版本的记录',

  'material.unchecked': '未核对',
  'material.received': '已收',
  'material.missing': '缺',
  'material.notApplicable': '不适用',

  'idNumber.empty': '请输入身份证号码',
  'idNumber.length': '身份证号码应为18位，现在是{length}位',
  'idNumber.character': '第{position}位字符无效：只能是数字，最后一位可以是X',
  'idNumber.birthDate': '出生日期{birthDate}不是有效日期',
  'idNumber.futureBirthDate': '出生日期{birthDate}晚于今天',
  'idNumber.checkCharacter': '校验位不正确，请逐位核对号码',

  'caseNumber.format': '受理编号格式不对，应类似 422822100202-20261126-03-042-0',
  'caseNumber.checkCharacter': '受理编号校验位不正确，请核对',
  'caseNumber.village': '受理编号中的村代码无效',
  'caseNumber.date': '受理编号中的日期无效',
  'caseNumber.sequenceExhausted': '本机今日受理编号已用完（每日最多{max}件）',

  'case.notCreated': '该办件尚未受理',
  'case.alreadyCreated': '该办件已经受理过',
  'case.levelNotAllowed': '{level}级不能执行“{eventType}”',
  'case.statusNotAllowed': '办件当前状态为“{status}”，不能执行“{eventType}”',
  'case.notHeldByLevel': '办件目前在{currentLevel}级办理，{level}级不能执行“{eventType}”',
  'case.notDecidingLevel': '该事项由{decidingLevel}级作出决定，{level}级不能决定',
  'case.forwardTarget': '{level}级不能将该事项转报到{to}级（该事项由{decidingLevel}级决定）',
  'case.unknownMaterial': '材料“{materialId}”不在该事项的材料清单中',
  'case.materialRequired': '材料“{materialId}”为必需材料，不能标为不适用',
  'case.materialListedTwice': '材料“{materialId}”重复出现',
  'case.history.noCreatedEvent': '办件记录缺少受理事件',
  'case.eventInvalid': '办件事件内容不完整或格式不对',
  'case.duplicateEventId': '该操作已经记录过',
  'case.merge.differentCases': '不能合并两个不同的办件',

  'enroll.codeUnknown': '注册码不存在，请核对后重新输入',
  'enroll.codeUsed': '该注册码已经使用过，请向技术员索取新的注册码',
  'enroll.codeExpired': '该注册码已过期，请向技术员索取新的注册码',
  'enroll.villageFull': '该村可注册的终端编号已用完，请联系县级管理员',
  'enroll.rateLimited': '尝试次数过多，请{minutes}分钟后再试',

  'files.type': '只能上传JPEG、PNG图片或PDF文件',
  'files.tooLarge': '文件不能超过{maxMb} MB，这个文件有{sizeMb} MB',
  'files.caseTooLarge': '一个办件的文件合计不能超过{maxMb} MB',
  'storage.full': '本机存储空间已满，本次未保存；已保存的办件不受影响。请联系技术员清理空间',
  'case.notFound': '找不到该办件',
  'case.newerVersion': '该办件由较新版本的村办写入，本机更新后才能办理',
  'case.numberTaken': '受理编号{caseNumber}已被使用',

  'data.problem.inRecord': '{record}：字段 {field} 有误（{detail}）',
  'data.problem.recordItself': '{record} 有误（{detail}）',
  'data.problem.atPath': '{path} 有误（{detail}）',
  'data.document.catalog': '服务事项目录',
  'data.document.divisionTable': '行政区划表',
  'data.document.workingCalendar': '工作日历',
  'data.document.case': '办件',
  'data.document.notice': '通知公告',
  'data.document.fleetPolicy': '终端管理策略',
  'data.invalid': '{document}数据有误，共{count}处',

  'collection.items': '事项',
  'collection.sectors': '领域',
  'collection.materials': '材料',
  'collection.towns': '乡镇',
  'collection.villages': '村（社区）',
  'collection.years': '年度',
  'collection.events': '事件',
  'collection.case': '办件',
} as const;

export type MessageKey = keyof typeof zhCN;
export type Messages = Readonly<Record<MessageKey, string>>;
