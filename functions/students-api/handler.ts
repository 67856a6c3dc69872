import * as z from 'zod/mini';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoStudentStore } from '../../shared/adapters/student-store';
import { readEnvironment } from '../../shared/config';
import { studentView } from '../../shared/domain/student';
import { studentSchemasFor } from '../../shared/domain/student-schema';
import { httpHandler, type Routes } from '../../shared/http/http-handler';
import { pageParameters } from '../../shared/http/pagination';
import { notFound } from '../../shared/http/problem';
import {
  jsonObject,
  noQueryParameters,
  pathParameter,
  queryParameters,
  validBody,
} from '../../shared/http/request';
import { json, noContent } from '../../shared/http/response';
import { schoolOf } from '../../shared/http/tenant';
import { cachedSchoolSettings } from '../../shared/school-settings-reader';
import { studentService } from '../../shared/services/students';

const environment = readEnvironment();
const documents = createDocumentClient();
const students = studentService({
  students: new DynamoStudentStore(documents, environment.TABLE_NAME),
  now: () => new Date().toISOString(),
});
const schoolSettings = cachedSchoolSettings(documents, environment.TABLE_NAME);
const listQuery = z.strictObject(pageParameters);

/** The student schemas of the school's country, the one its phone numbers are read in. */
const schemasOf = async (schoolId: string) => studentSchemasFor((await schoolSettings.get(schoolId)).country);

export const routes: Routes = {
  'GET /health': async (event) => {
    noQueryParameters(event);
    return json(200, { status: 'ok' });
  },

  'POST /students': async (event) => {
    noQueryParameters(event);
    const body = jsonObject(event);
    const school = schoolOf(event);
    const input = validBody(body, (await schemasOf(school)).create);
    const student = await students.create(school, input);
    return json(201, studentView(student), { location: `/students/${student.id}` });
  },

  'GET /students': async (event) => {
    const page = await students.list(schoolOf(event), queryParameters(event, listQuery));
    return json(200, { items: page.items, next_cursor: page.nextCursor });
  },

  'GET /students/{id}': async (event) => {
    noQueryParameters(event);
    const student = await students.get(schoolOf(event), pathParameter(event, 'id'));
    if (!student) throw notFound('Student');
    return json(200, studentView(student));
  },

  'PATCH /students/{id}': async (event) => {
    noQueryParameters(event);
    const body = jsonObject(event);
    const school = schoolOf(event);
    const patch = validBody(body, (await schemasOf(school)).patch);
    const student = await students.update(school, pathParameter(event, 'id'), patch);
    if (!student) throw notFound('Student');
    return json(200, studentView(student));
  },

  'DELETE /students/{id}': async (event) => {
    noQueryParameters(event);
    const removed = await students.remove(schoolOf(event), pathParameter(event, 'id'));
    if (!removed) throw notFound('Student');
    return noContent();
  },
};

export const handler = httpHandler(routes);
